/** Addresses a server may listen on without a token: only this machine can reach them. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

/** The address as `listen` takes it: an IPv6 address without its brackets. */
export function listenAddress(host: string): string {
  return host.replace(/^\[(.*)\]$/, '$1');
}
