import type { TranslationOf } from './catalogue';
import type en from './actions.en';

/** Actions qui changent des choses depuis une liste : recalcul de la couverture, offres échues, produits. */
export default {
  coverage: {
    rebuild: 'Recalculer la couverture',
    intro:
      'Recalcule qui a vendu à qui et la couverture de chaque compte à partir des commandes enregistrées.',
    confirm: 'Recalculer maintenant la couverture de chaque compte à partir des commandes enregistrées ?',
    running: 'Recalcul de la couverture…',
    done: 'Couverture recalculée.',
  },
  routing: {
    sweep: 'Faire échoir les offres en retard',
    intro:
      'Les offres dont l’échéance est passée échoient maintenant (le serveur le fait aussi chaque minute).',
    confirm: 'Faire échoir maintenant chaque offre dont l’échéance est passée ?',
    lapsed_one: '{{count, number}} offre échue.',
    lapsed_other: '{{count, number}} offres échues.',
  },
  product: {
    title: 'Ajouter un produit',
    sku: 'Référence (SKU)',
    name: 'Nom',
    family: 'Famille',
    listPrice: 'Prix catalogue',
    currency: 'Devise',
    licensing: 'Licence (logiciel)',
    noLicensing: 'Aucune (matériel)',
    solution: 'Domaine de solution (facultatif)',
    submit: 'Ajouter le produit',
    skuRequired: 'Indiquez la référence.',
    nameRequired: 'Indiquez le nom du produit.',
    currencyFormat: 'Trois lettres, par exemple EUR.',
    added: 'Produit {{sku}} ajouté :',
  },
  reset: {
    title: 'Choisir un nouveau mot de passe',
    subtitle:
      'Avec le jeton de réinitialisation à usage unique que votre administrateur vous a donné (valable une heure).',
    token: 'Jeton de réinitialisation',
    password: 'Nouveau mot de passe',
    again: 'Nouveau mot de passe, à nouveau',
    mismatch: 'Les deux mots de passe diffèrent.',
    submit: 'Enregistrer le mot de passe',
    done: 'Votre mot de passe est enregistré.',
    signIn: 'Se connecter',
  },
} satisfies TranslationOf<typeof en>;
