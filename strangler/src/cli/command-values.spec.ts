import { ROUTE_MODES, routeSchema } from '../rules/rule-set.schema';
import { CLI_ROUTE_MODES, headerValue, stickyByValue } from './command-values';

it('knows every route mode', () => {
  expect(CLI_ROUTE_MODES).toEqual(ROUTE_MODES);
});

it.each(['jwt.sub', 'ip', 'header:x-user', 'cookie:session', 'jwt', 'header:', 'cookie:a;b', 'user', 'IP'])(
  'accepts %j as --sticky-by exactly when the rules do',
  (text) => {
    const rules = routeSchema.shape.stickyBy.safeParse(text).success;
    let cli = true;
    try {
      stickyByValue(text);
    } catch {
      cli = false;
    }
    expect(cli).toBe(rules);
  },
);

it('collects repeated -H into one set of headers, names in lower case', () => {
  const first = headerValue('Authorization: Bearer a:b');
  expect(headerValue(' X-A :  1 ', first)).toEqual({ authorization: 'Bearer a:b', 'x-a': '1' });
});
