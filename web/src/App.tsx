import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { ErrorBoundary, Loading, PageHeading } from './components/ui';
import { matchRoute, isCurrentSection, signInPath, type Route } from './lib/routes';
import { CustomerDetailPage, OrderDetailPage, PartnerDetailPage, ProductDetailPage } from './pages/details';
import { CustomersPage, OrdersPage, PartnersPage, ProductsPage, ProgramsPage } from './pages/lists';
import { OverviewPage, SystemPage } from './pages/Overview';
import { ProgramDetailPage } from './pages/ProgramDetail';
import { SignInPage } from './pages/SignIn';
import { ResetPasswordPage } from './pages/ResetPassword';
import { UserMenu } from './components/UserMenu';
import { GlobalSearch } from './components/GlobalSearch';
import { NotificationBell } from './components/NotificationBell';
import { LanguageSync } from './i18n/LanguageSync';
import { NotificationsPage } from './pages/Notifications';
import { useMe } from './hooks';
import { navEntries } from './lib/access';
import { adminNavEntries, matchAdminPage, type AdminPage } from './pages/admin-routes';
import { TokensPage } from './pages/Tokens';
import { SsoSettingsPage } from './pages/SsoSettings';
import { WebhooksPage } from './pages/Webhooks';
import { AuditPage } from './pages/Audit';
import { CertificationsPage } from './pages/Certifications';
import { ImportsPage } from './pages/Imports';
import { RatesPage } from './pages/Rates';
import { CloseDetailPage, ClosesPage } from './pages/Closes';
import { DisputeDetailPage, DisputesPage } from './pages/Disputes';
import { StatementDetailPage, StatementsPage } from './pages/Statements';
import { DealDetailPage } from './pages/DealDetail';
import { DealFlagsPage } from './pages/DealFlags';
import { DealReviewPage, DealReviewsPage } from './pages/DealReviews';
import { DealsPage, RegisterDealPage } from './pages/Deals';
import { CoverageDetailPage, CoveragePage, MyAccountsPage } from './pages/Coverage';
import { DirectAccountsPage } from './pages/DirectAccounts';
import { OffersPage } from './pages/Offers';
import { AgreementDetailPage, AgreementsPage } from './pages/Agreements';
import { RoutingDetailPage, RoutingLogPage } from './pages/Routing';
import { TransferDetailPage, TransfersPage } from './pages/Transfers';
import { SimulationDetailPage, SimulationsPage } from './pages/Simulations';
import { MdfActivityPage, MdfPage, ProposeActivityPage } from './pages/Mdf';
import { Link, navigate, useLocation } from './router';
import { useT } from './i18n';
import { LanguageSwitch } from './i18n/LanguageSwitch';

function page(route: Route): ReactNode {
  switch (route.name) {
    case 'overview':
      return <OverviewPage />;
    case 'sign-in':
      return <SignInPage />;
    case 'reset-password':
      return <ResetPasswordPage />;
    case 'notifications':
      return <NotificationsPage />;
    case 'system':
      return <SystemPage />;
    case 'list':
      switch (route.resource) {
        case 'programs':
          return <ProgramsPage />;
        case 'partners':
          return <PartnersPage />;
        case 'customers':
          return <CustomersPage />;
        case 'orders':
          return <OrdersPage />;
        case 'products':
          return <ProductsPage />;
        case 'statements':
          return <StatementsPage />;
        case 'disputes':
          return <DisputesPage />;
        case 'closes':
          return <ClosesPage />;
        case 'deals':
          return <DealsPage />;
        case 'deal-reviews':
          return <DealReviewsPage />;
        case 'deal-flags':
          return <DealFlagsPage />;
        case 'coverage':
          return <CoveragePage />;
        case 'direct-accounts':
          return <DirectAccountsPage />;
        case 'routing':
          return <RoutingLogPage />;
        case 'offers':
          return <OffersPage />;
        case 'my-accounts':
          return <MyAccountsPage />;
        case 'agreements':
          return <AgreementsPage />;
        case 'transfers':
          return <TransfersPage />;
        case 'simulations':
          return <SimulationsPage />;
        case 'mdf':
          return <MdfPage />;
      }
      break;
    case 'detail':
      switch (route.resource) {
        case 'programs':
          return <ProgramDetailPage id={route.id} />;
        case 'partners':
          return <PartnerDetailPage id={route.id} />;
        case 'customers':
          return <CustomerDetailPage id={route.id} />;
        case 'orders':
          return <OrderDetailPage id={route.id} />;
        case 'products':
          return <ProductDetailPage id={route.id} />;
        case 'statements':
          return <StatementDetailPage id={route.id} />;
        case 'disputes':
          return <DisputeDetailPage id={route.id} />;
        case 'closes':
          return <CloseDetailPage id={route.id} />;
        case 'deals':
          return route.id === 'new' ? <RegisterDealPage /> : <DealDetailPage id={route.id} />;
        case 'deal-reviews':
          return <DealReviewPage id={route.id} />;
        case 'deal-flags':
          return <DealFlagsPage />;
        case 'coverage':
          return <CoverageDetailPage id={route.id} />;
        case 'routing':
          return <RoutingDetailPage id={route.id} />;
        case 'agreements':
          return <AgreementDetailPage id={route.id} />;
        case 'transfers':
          return <TransferDetailPage id={route.id} />;
        case 'simulations':
          return <SimulationDetailPage id={route.id} />;
        case 'mdf':
          return route.id === 'new' ? <ProposeActivityPage /> : <MdfActivityPage id={route.id} />;
        case 'direct-accounts':
        case 'offers':
        case 'my-accounts':
          return notFound(`/${route.resource}/${route.id}`);
      }
      break;
    case 'not-found':
      return notFound(route.path);
  }
  return null;
}

/** The administration screens (pages/admin-routes.ts). */
function adminPage(name: AdminPage): ReactNode {
  switch (name) {
    case 'tokens':
      return <TokensPage />;
    case 'webhooks':
      return <WebhooksPage />;
    case 'audit':
      return <AuditPage />;
    case 'certifications':
      return <CertificationsPage />;
    case 'imports':
      return <ImportsPage />;
    case 'sso':
      return <SsoSettingsPage />;
    case 'rates':
      return <RatesPage />;
  }
}

function notFound(path: string): ReactNode {
  return <NotFound path={path} />;
}

function NotFound({ path }: { path: string }) {
  const t = useT();
  return (
    <>
      <PageHeading title={t('common.notFoundTitle')} />
      <p>
        {t('common.notFound', { path })} <Link to="/">{t('common.backHome')}</Link>.
      </p>
    </>
  );
}

/**
 * The header's navigation: inline on wide screens; behind a menu button on narrow ones (a disclosure:
 * aria-expanded, Escape closes it and gives focus back to the button, following a link closes it).
 */
function SiteNav({ nav, pathname }: { nav: readonly (readonly [string, string])[]; pathname: string }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => setOpen(false), [pathname]);
  useEffect(() => {
    if (!open) return;
    const outside = (event: PointerEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open]);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && open) {
      event.stopPropagation();
      setOpen(false);
      button.current?.focus();
    }
  };
  return (
    <div className="site-nav" ref={root} onKeyDown={onKeyDown}>
      <button
        ref={button}
        type="button"
        className="menu-button"
        aria-expanded={open}
        aria-controls="site-nav-list"
        onClick={() => setOpen((o) => !o)}
      >
        <span className="menu-icon" aria-hidden="true" />
        {t('common.menu')}
      </button>
      <nav aria-label={t('common.mainNavigation')} id="site-nav-list" className={open ? 'open' : undefined}>
        <ul>
          {nav.map(([href, label]) => (
            <li key={href}>
              <Link
                to={href}
                aria-current={isCurrentSection(href, pathname) ? 'page' : undefined}
                onClick={() => setOpen(false)}
              >
                {t(label)}
              </Link>
            </li>
          ))}
          <li>
            <a href="/api/docs" className="api-link">
              {t('nav.apiReference')}
            </a>
          </li>
        </ul>
      </nav>
    </div>
  );
}

export function App() {
  const t = useT();
  const { pathname, search } = useLocation();
  const route = matchRoute(pathname);
  const admin = matchAdminPage(pathname);
  // Statements, disputes and closes appear once the app knows the role that may see them.
  const me = useMe();
  const known = me.status === 'ok' ? me.data : null;
  const nav = [...navEntries(known), ...adminNavEntries(known)];
  // A visitor who is not signed in is sent to sign in (and brought back here after), rather than shown
  // the page's refusals. Where the API has no sign-in (no 401), pages show what they can.
  const signedOut = me.status === 'error' && me.problem.status === 401;
  // Signing in and setting a password with a reset token are for those not signed in.
  const open = route.name === 'sign-in' || route.name === 'reset-password';
  const gated = !open && (me.status === 'loading' || signedOut);
  useEffect(() => {
    if (signedOut && !open) navigate(signInPath(pathname + search), { replace: true });
  }, [signedOut, open, pathname, search]);
  // Keyed by route so a page's state (and its requests) resets when the page changes.
  const key = admin
    ? `admin/${admin}`
    : route.name === 'detail'
      ? `${route.resource}/${route.id}`
      : route.name === 'list'
        ? route.resource
        : route.name;
  return (
    <>
      <a className="skip-link" href="#main">
        {t('common.skipToContent')}
      </a>
      <header className="site-header">
        <div className="container header-inner">
          <Link to="/" className="brand">
            Trellis
          </Link>
          <SiteNav nav={nav} pathname={pathname} />
          <div className="header-tools">
            <GlobalSearch />
            <NotificationBell />
            <LanguageSwitch />
            <LanguageSync />
            <UserMenu />
          </div>
        </div>
      </header>
      <main id="main" className="container">
        {gated ? (
          signedOut ? (
            <Loading what={t('shell.redirecting')} />
          ) : (
            <Loading />
          )
        ) : (
          <ErrorBoundary
            key={key}
            fallback={(error) => (
              <div className="banner banner-error" role="alert">
                <p>
                  <strong>{t('nav.pageFailed')}</strong> {error.message}
                </p>
              </div>
            )}
          >
            {admin ? adminPage(admin) : page(route)}
          </ErrorBoundary>
        )}
      </main>
      <footer className="site-footer container">
        <p>
          {t('nav.footer')} <a href="/api/openapi.json">{t('nav.openApi')}</a>
        </p>
      </footer>
    </>
  );
}
