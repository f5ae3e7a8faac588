/**
 * Runs `build` with extra environment variables and restores the environment when it
 * settles. Apps read their configuration while they are built, so this is how a test
 * gives one app its own database or secret without touching the others.
 */
export async function withEnv<T>(
  vars: Readonly<Record<string, string | undefined>>,
  build: () => Promise<T>,
): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(vars);
  try {
    return await build();
  } finally {
    apply(saved);
  }
}
