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
    ssoRefusals: {
      ssoStartAgain: 'This sign-in is unknown, expired or already used. Start it again.',
      ssoNotConfigured: 'Your organisation no longer signs in through this identity provider.',
      ssoProviderRefused:
        'Trellis could not accept your identity provider’s answer. Try again, or ask your administrator.',
      ssoNoRole:
        'None of your groups at your identity provider gives a Trellis role. Ask your administrator to map one.',
      ssoOtherOrganisation: 'This account belongs to another organisation.',
      ssoNoAccount:
        'You have no Trellis account, and your organisation does not create accounts on first sign-in. Ask your administrator.',
      ssoNoEmail: 'Your identity provider sent no e-mail address, which is needed to create your account.',
      other: 'Start the sign-in again, or ask your administrator.',
    },
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
