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
  },
  redirecting: 'Taking you to sign in',
  json: 'JSON',
} as const;
