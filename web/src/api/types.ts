/**
 * The API's response and request shapes, generated from the server's OpenAPI document into schema.d.ts
 * (`npm run api:types`). Name a schema here as `Schema<'Partner'>`; the hand-named aliases the pages use
 * live in web/src/pages/*types.ts.
 */
import type { components, paths } from './schema';

export type { components, paths };

/** A named schema of the OpenAPI document (`components.schemas`). */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];

type Json<R> = R extends { readonly content: { readonly 'application/json': infer T } } ? T : never;

/** The JSON answer of `GET path` (or another method) for a status, 200 unless told. */
export type ResponseOf<
  Path extends keyof paths,
  Method extends 'get' | 'post' | 'put' | 'delete' = 'get',
  Status extends number = 200,
> = paths[Path][Method] extends { readonly responses: infer R }
  ? Status extends keyof R
    ? Json<R[Status]>
    : never
  : never;

/** The JSON body `path` takes. */
export type BodyOf<
  Path extends keyof paths,
  Method extends 'post' | 'put' = 'post',
> = paths[Path][Method] extends {
  readonly requestBody?: { readonly content: { readonly 'application/json': infer T } };
}
  ? T
  : never;
