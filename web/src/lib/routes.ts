/** The app's URL space. Pure: the History API glue lives in router.tsx. */

export type ListResource =
  | 'programs'
  | 'partners'
  | 'customers'
  | 'orders'
  | 'products'
  | 'statements'
  | 'disputes'
  | 'closes'
  | 'deals'
  | 'deal-reviews'
  | 'deal-flags'
  | 'coverage'
  | 'direct-accounts'
  | 'routing'
  | 'offers'
  | 'my-accounts'
  | 'agreements'
  | 'transfers'
  | 'simulations'
  | 'mdf';

export type Route =
  | { readonly name: 'overview' }
  | { readonly name: 'sign-in' }
  | { readonly name: 'reset-password' }
  | { readonly name: 'system' }
  | { readonly name: 'notifications' }
  | { readonly name: 'list'; readonly resource: ListResource }
  | { readonly name: 'detail'; readonly resource: ListResource; readonly id: string }
  | { readonly name: 'not-found'; readonly path: string };

const RESOURCES: readonly ListResource[] = [
  'programs',
  'partners',
  'customers',
  'orders',
  'products',
  'statements',
  'disputes',
  'closes',
  'deals',
  'deal-reviews',
  'deal-flags',
  'coverage',
  'direct-accounts',
  'routing',
  'offers',
  'my-accounts',
  'agreements',
  'transfers',
  'simulations',
  'mdf',
];

function isResource(s: string): s is ListResource {
  return (RESOURCES as readonly string[]).includes(s);
}

export function matchRoute(pathname: string): Route {
  const parts = pathname
    .split('/')
    .filter((p) => p !== '')
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
  if (parts.length === 0) return { name: 'overview' };
  if (parts.length === 1 && parts[0] === 'sign-in') return { name: 'sign-in' };
  if (parts.length === 1 && parts[0] === 'reset-password') return { name: 'reset-password' };
  if (parts.length === 1 && parts[0] === 'system') return { name: 'system' };
  if (parts.length === 1 && parts[0] === 'notifications') return { name: 'notifications' };
  const [first = '', second, ...rest] = parts;
  if (isResource(first) && rest.length === 0) {
    return second === undefined
      ? { name: 'list', resource: first }
      : { name: 'detail', resource: first, id: second };
  }
  return { name: 'not-found', path: pathname };
}

export function detailPath(resource: ListResource, id: string): string {
  return `/${resource}/${encodeURIComponent(id)}`;
}

/** Whether a link to `href` should look current on `pathname` (a section stays current on its details). */
export function isCurrentSection(href: string, pathname: string): boolean {
  if (href === '/') return pathname === '/';
  return pathname === href || pathname.startsWith(`${href}/`);
}

/** Where to go after signing in: only same-site paths, never another origin. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/sign-in') ? next : '/';
}

export function signInPath(current: string): string {
  return current === '/' || current.startsWith('/sign-in')
    ? '/sign-in'
    : `/sign-in?next=${encodeURIComponent(current)}`;
}
