import { describe, expect, it } from 'vitest';
import {
  firstPage,
  listStateToApiParams,
  listStateToSearch,
  nextPage,
  readListState,
  toggleSort,
  withFilters,
  withLimit,
  type ListSpec,
} from './query';

const spec: ListSpec = {
  filters: ['q', 'kind', 'region'],
  sorts: ['name', 'country', 'createdAt'],
  defaultSort: 'name',
  defaultLimit: 50,
};

describe('readListState', () => {
  it('reads defaults from an empty query string', () => {
    expect(readListState('', spec)).toEqual({
      filters: {},
      sort: 'name',
      direction: 'asc',
      cursor: null,
      limit: 50,
      page: 1,
    });
  });
  it('reads known filters and ignores unknown or invalid values', () => {
    const s = readListState('?q=acme&bogus=1&kind=&sort=price&direction=sideways&limit=9999', spec);
    expect(s.filters).toEqual({ q: 'acme' });
    expect(s.sort).toBe('name');
    expect(s.direction).toBe('asc');
    expect(s.limit).toBe(50);
  });
  it('reads a bookmarked later page', () => {
    const s = readListState('?region=emea&sort=country&direction=desc&limit=20&cursor=abc&page=3', spec);
    expect(s).toEqual({
      filters: { region: 'emea' },
      sort: 'country',
      direction: 'desc',
      cursor: 'abc',
      limit: 20,
      page: 3,
    });
  });
});

describe('listStateToSearch', () => {
  it('round-trips and leaves defaults out', () => {
    const search = '?q=acme&region=emea&sort=country&direction=desc&limit=20&cursor=abc&page=3';
    expect(listStateToSearch(readListState(search, spec), spec)).toBe(search);
    expect(listStateToSearch(readListState('', spec), spec)).toBe('');
  });
  it('escapes values', () => {
    const s = withFilters(readListState('', spec), { q: 'a&b c' });
    expect(listStateToSearch(s, spec)).toBe('?q=a%26b+c');
    expect(readListState(listStateToSearch(s, spec), spec).filters.q).toBe('a&b c');
  });
});

describe('default direction', () => {
  const newestFirst: ListSpec = {
    ...spec,
    sorts: ['closedAt'],
    defaultSort: 'closedAt',
    defaultDirection: 'desc',
  };
  it('reads newest first by default and keeps an explicit ascending order in the URL', () => {
    expect(readListState('', newestFirst).direction).toBe('desc');
    const asc = readListState('?direction=asc', newestFirst);
    expect(asc.direction).toBe('asc');
    expect(listStateToSearch(asc, newestFirst)).toBe('?direction=asc');
    expect(listStateToSearch(readListState('', newestFirst), newestFirst)).toBe('');
  });
});

describe('transitions', () => {
  const base = readListState('?q=acme&cursor=abc&page=2', spec);
  it('toggles the sort and starts from the first page', () => {
    const byCountry = toggleSort(base, 'country');
    expect(byCountry).toMatchObject({ sort: 'country', direction: 'asc', cursor: null, page: 1 });
    expect(toggleSort(byCountry, 'country').direction).toBe('desc');
    expect(toggleSort(toggleSort(byCountry, 'country'), 'country').direction).toBe('asc');
  });
  it('pages forward and back to the start', () => {
    const p3 = nextPage(base, 'def');
    expect(p3).toMatchObject({ cursor: 'def', page: 3 });
    expect(firstPage(p3)).toMatchObject({ cursor: null, page: 1, filters: { q: 'acme' } });
  });
  it('drops empty filters', () => {
    expect(withFilters(base, { q: ' ', kind: 'reseller' }).filters).toEqual({ kind: 'reseller' });
  });
  it('clamps the page size', () => {
    expect(withLimit(base, 10_000).limit).toBe(500);
    expect(withLimit(base, 0).limit).toBe(1);
  });
  it('builds explicit API parameters', () => {
    expect(listStateToApiParams(base)).toEqual({
      q: 'acme',
      sort: 'name',
      direction: 'asc',
      limit: '50',
      cursor: 'abc',
    });
  });
});
