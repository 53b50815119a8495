/**
 * A minimal MCP Apps host for the browser test, built on ext-apps' AppBridge: it embeds the view in
 * a sandboxed iframe under the spec's restrictive default CSP, as hosts do, and forwards the view's
 * tools/call and resources/read to the test process (functions the test exposes to the page, which
 * call the built server over stdio).
 */
import { AppBridge, PostMessageTransport, type McpUiStyles } from '@modelcontextprotocol/ext-apps/app-bridge';
import type { CallToolRequest, CallToolResult, ReadResourceRequest, ReadResourceResult } from '@modelcontextprotocol/client';

declare global {
  interface Window {
    hostCallTool(params: CallToolRequest['params']): Promise<CallToolResult>;
    hostReadResource(params: ReadResourceRequest['params']): Promise<ReadResourceResult>;
    startHost(options: HostOptions): Promise<void>;
  }
}

interface HostOptions {
  html: string;
  toolName: string;
  toolInput: Record<string, unknown>;
  toolResult: CallToolResult;
}

/** The spec's CSP for a UI resource that declares no domains (SEP-1865, "Restrictive Default"). */
const DEFAULT_CSP =
  "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; media-src 'self' data:; connect-src 'none';";

window.startHost = async ({ html, toolName, toolInput, toolResult }) => {
  const iframe = document.createElement('iframe');
  iframe.setAttribute('sandbox', 'allow-scripts');
  iframe.title = 'sora2-mcp video view';
  iframe.style.cssText = 'width: 100%; height: 400px; border: 1px solid #d0d4da; border-radius: 10px;';
  iframe.srcdoc = html.replace('<head>', `<head><meta http-equiv="Content-Security-Policy" content="${DEFAULT_CSP}">`);
  document.getElementById('host')!.append(iframe);
  const bridge = new AppBridge(
    null,
    { name: 'sora2-mcp test host', version: '1.0.0' },
    { serverTools: {}, serverResources: {} },
    {
      hostContext: {
        theme: 'light',
        displayMode: 'inline',
        platform: 'web',
        toolInfo: { tool: { name: toolName, inputSchema: { type: 'object' } } },
        styles: {
          variables: {
            '--color-background-primary': '#ffffff',
            '--color-background-secondary': '#f3f4f6',
            '--color-text-primary': '#111827',
            '--color-text-secondary': '#4b5563',
            '--color-border-primary': '#d1d5db',
            '--font-sans': 'DejaVu Sans, sans-serif',
          } as McpUiStyles, // a host may send any subset
        },
      },
    },
  );
  // As hosts do: the iframe takes the height the view asks for.
  bridge.onsizechange = ({ height }) => {
    if (height) iframe.style.height = `${Math.ceil(height) + 2}px`;
  };
  bridge.oncalltool = (params) => window.hostCallTool(params);
  bridge.onreadresource = (params) => window.hostReadResource(params);
  bridge.oninitialized = () => {
    void bridge.sendToolInput({ arguments: toolInput }).then(() => bridge.sendToolResult(toolResult));
  };
  await bridge.connect(new PostMessageTransport(iframe.contentWindow!, iframe.contentWindow!));
};
