/** The app's frame and shared pieces: sign-in, confirmations, as-of forms, values, JSON views. */
export default {
  signIn: {
    title: 'Sign in',
    subtitle: 'Sign in to see the programs, partners and orders your role allows.',
    email: 'Email',
    password: 'Password',
    submit: 'Sign in',
    busy: 'Signing in…',
    tokenHint: 'Scripts and integrations use an API token instead:',
    ssoTitle: 'Sign in with your company’s identity provider',
    ssoIntro:
      'If your organisation signs in through its own identity provider, give your work e-mail or your organisation’s name.',
    ssoEmailOrOrg: 'Work e-mail or organisation',
    ssoSubmit: 'Continue to your identity provider',
    ssoBusy: 'Redirecting…',
    or: 'or',
    ssoRefused: 'Your identity provider’s sign-in was refused',
  },
  asOf: {
    form: 'Day of evaluation',
    label: 'As of',
    apply: 'Apply',
    today: 'Today',
    showingOn: 'Showing the standing on',
    showingToday: 'Showing the standing today (the server’s date).',
    endOf: 'End of {{version}} ({{date}})',
  },
  redirecting: 'Taking you to sign in',
  json: 'JSON',
} as const;
