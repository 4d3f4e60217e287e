import { useApi, useVendors, usePrograms } from '../hooks';
import { detailPath } from '../lib/routes';
import { Link } from '../router';
import type { FilterOption } from './ListPage';

/** A vendor's name (from the cached vendor list), falling back to its id. */
export function VendorName({ id }: { id: string }) {
  const vendors = useVendors();
  const vendor = vendors.data?.items.find((v) => v.id === id);
  return <span title={id}>{vendor ? vendor.name : id}</span>;
}

export function ProgramLink({ id }: { id: string }) {
  const programs = usePrograms();
  const program = programs.data?.items.find((p) => p.id === id);
  return (
    <Link to={detailPath('programs', id)} title={id}>
      {program ? program.name : id}
    </Link>
  );
}

/** A partner's name linking to its page (fetched once per session), falling back to its id. */
export function PartnerLink({ id }: { id: string }) {
  const partner = useApi<{ readonly name: string }>(
    `/api/partners/${encodeURIComponent(id)}`,
    {},
    { cache: true },
  );
  return (
    <Link to={detailPath('partners', id)} title={id}>
      {partner.data?.name ?? id}
    </Link>
  );
}

export function useVendorOptions(): readonly FilterOption[] | undefined {
  const vendors = useVendors();
  return vendors.data?.items.map((v) => ({ value: v.id, label: v.name }));
}

export function useProgramOptions(): readonly FilterOption[] | undefined {
  const programs = usePrograms();
  return programs.data?.items.map((p) => ({ value: p.id, label: p.name }));
}

/** Select options from stored values, each labelled by `label` (the value itself when not given). */
export const options = (
  values: readonly string[],
  label: (value: string) => string = (v) => v,
): FilterOption[] => values.map((v) => ({ value: v, label: label(v) }));
