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
    ssoRefusals: {
      ssoStartAgain: 'Cette connexion est inconnue, expirée ou déjà utilisée. Recommencez-la.',
      ssoNotConfigured: 'Votre organisation ne se connecte plus par ce fournisseur d’identité.',
      ssoProviderRefused:
        'Trellis n’a pas pu accepter la réponse de votre fournisseur d’identité. Réessayez, ou demandez à votre administrateur.',
      ssoNoRole:
        'Aucun de vos groupes chez votre fournisseur d’identité ne donne de rôle dans Trellis. Demandez à votre administrateur d’en associer un.',
      ssoOtherOrganisation: 'Ce compte appartient à une autre organisation.',
      ssoNoAccount:
        'Vous n’avez pas de compte Trellis et votre organisation ne crée pas de compte à la première connexion. Demandez à votre administrateur.',
      ssoNoEmail:
        'Votre fournisseur d’identité n’a pas envoyé d’adresse e-mail, nécessaire pour créer votre compte.',
      other: 'Recommencez la connexion, ou demandez à votre administrateur.',
    },
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
