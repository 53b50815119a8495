/**
 * The commands other than the stdio server, in one module of their own: the bundle builds it as a file beside the bin
 * (build/commands.js), so that an MCP session never loads or parses the HTTP server, doctor or the simulator's face.
 */
export { doctor } from './doctor/doctor';
export { httpCommand } from './http/http-command';
export { simulatorCommand } from './simulator-http/simulator-command';
