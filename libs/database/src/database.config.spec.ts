import { parseDatabaseUrl } from './database.config';

describe('parseDatabaseUrl', () => {
  it.each([
    ['sqlite:data/x.sqlite', { kind: 'sqlite', path: 'data/x.sqlite', url: 'sqlite:data/x.sqlite' }],
    ['sqlite::memory:', { kind: 'sqlite', path: ':memory:', url: 'sqlite::memory:' }],
    ['sqlite:/abs/path.db', { kind: 'sqlite', path: '/abs/path.db', url: 'sqlite:/abs/path.db' }],
    ['postgres://u@h:5432/db', { kind: 'postgres', url: 'postgres://u@h:5432/db', poolSize: 10 }],
  ])('reads %s', (url, expected) => {
    expect(parseDatabaseUrl(url)).toEqual(expected);
  });
});
