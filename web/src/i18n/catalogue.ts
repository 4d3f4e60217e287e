/**
 * The app's texts: one pair of files per area, `<area>.en.ts` and `<area>.fr.ts`, each exporting a
 * nested object of strings as default. Files are found by name (no list to edit), and an area's texts
 * are used as `t('<area>.<key>')`. See README.md in this folder.
 */
import type { Language } from './locale';

export interface Catalogue {
  readonly [key: string]: string | Catalogue;
}

/**
 * The French (or any other) side of an English catalogue: the same keys, nested the same way. Plural keys
 * (`x_one`, `x_other`) must both be there; a language may add its own plural forms (`x_many`).
 */
export type TranslationOf<T> = {
  readonly [K in keyof T]: T[K] extends string ? string : TranslationOf<T[K]>;
} & { readonly [K in `${string}_many` | `${string}_few` | `${string}_two` | `${string}_zero`]?: string };

type Module = { readonly default: Catalogue };

function byArea(modules: Record<string, Module>, language: Language): Record<string, Catalogue> {
  const out: Record<string, Catalogue> = {};
  for (const [path, module] of Object.entries(modules)) {
    const m = new RegExp(`([a-z0-9-]+)\\.${language}\\.ts$`).exec(path);
    if (m?.[1]) out[m[1]] = module.default;
  }
  return out;
}

/** French "many" (1 000 000 de …) reads like "other" unless a text says otherwise. */
function withManyForms(catalogue: Catalogue): Catalogue {
  const out: Record<string, string | Catalogue> = {};
  for (const [key, value] of Object.entries(catalogue)) {
    out[key] = typeof value === 'string' ? value : withManyForms(value);
    if (typeof value === 'string' && key.endsWith('_other')) {
      const many = `${key.slice(0, -'_other'.length)}_many`;
      if (!(many in catalogue)) out[many] = value;
    }
  }
  return out;
}

export const catalogues: Record<Language, Record<string, Catalogue>> = {
  en: byArea(import.meta.glob<Module>('./*.en.ts', { eager: true }), 'en'),
  fr: Object.fromEntries(
    Object.entries(byArea(import.meta.glob<Module>('./*.fr.ts', { eager: true }), 'fr')).map(([area, c]) => [
      area,
      withManyForms(c),
    ]),
  ),
};
