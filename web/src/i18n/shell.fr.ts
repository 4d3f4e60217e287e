import type { TranslationOf } from './catalogue';
import type en from './shell.en';

export default {
  signIn: {
    title: 'Connexion',
    subtitle: 'Connectez-vous pour voir les programmes, partenaires et commandes que votre rôle autorise.',
    email: 'E-mail',
    password: 'Mot de passe',
    submit: 'Se connecter',
    busy: 'Connexion…',
    tokenHint: 'Les scripts et intégrations utilisent plutôt un jeton d’API :',
    ssoTitle: 'Se connecter avec le fournisseur d’identité de votre entreprise',
    ssoIntro:
      'Si votre organisation se connecte par son propre fournisseur d’identité, indiquez votre e-mail professionnel ou le nom de votre organisation.',
    ssoEmailOrOrg: 'E-mail professionnel ou organisation',
    ssoSubmit: 'Continuer vers votre fournisseur d’identité',
    ssoBusy: 'Redirection…',
    or: 'ou',
    ssoRefused: 'La connexion par votre fournisseur d’identité a été refusée',
  },
  asOf: {
    form: 'Jour d’évaluation',
    label: 'Au',
    apply: 'Appliquer',
    today: 'Aujourd’hui',
    showingOn: 'Situation au',
    showingToday: 'Situation à ce jour (date du serveur).',
    endOf: 'Fin de {{version}} ({{date}})',
  },
  redirecting: 'Redirection vers la connexion',
  json: 'JSON',
} satisfies TranslationOf<typeof en>;
