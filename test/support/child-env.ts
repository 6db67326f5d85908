/**
 * The environment a test gives a child process: PATH and `extra`, nothing else of this machine
 * (so no developer setting, key or .env reaches the program under test). It also passes on this
 * run's Node compile cache (NODE_COMPILE_CACHE, set by test/global-setup.ts): the tests start
 * `helpdesk` about two hundred times, and the cache spares each start parsing and compiling the
 * same modules and stripping the same TypeScript again. Node checks each cached entry against the
 * file's content, so it changes nothing the program does.
 */
export function childEnv(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const cache = process.env.NODE_COMPILE_CACHE;
  return { PATH: process.env.PATH ?? '', ...(cache ? { NODE_COMPILE_CACHE: cache } : {}), ...extra };
}
