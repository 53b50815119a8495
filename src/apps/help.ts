export const HELP = `sora2-mcp: an MCP server for OpenAI-compatible /v1/videos (Sora) providers

Usage:
  sora2-mcp                      start the MCP server on stdio (what MCP clients run)
  sora2-mcp doctor               check the configuration and the provider, with a fix for each problem
  sora2-mcp simulator [options]  serve the built-in simulator as a /v1/videos HTTP API on loopback
      --port N                   port to listen on (default 8787; 0 picks a free one)
      --host H                   address to listen on (default 127.0.0.1)
  sora2-mcp http --port N [options]  serve MCP over Streamable HTTP at /mcp, for a team (see "Serve a team" in the README)
      --host H                   address to listen on (default 127.0.0.1)
      --allowed-host NAME        a host name clients use (behind a proxy); loopback names are always allowed
      --max-sessions N           open sessions at most (default 64)
      --idle-timeout SECONDS     close a session idle this long (default 1800)
      --no-auth                  no token (loopback only; for local tools that cannot send headers)
  sora2-mcp --help | --version

Environment (see the README for details):
  SORA2_MCP_API_KEY / OPENAI_API_KEY   API key (the simulator's HTTP face requires SORA2_MCP_API_KEY when set)
  OPENAI_BASE_URL                      base URL of a provider that serves /v1/videos
  SORA2_MCP_PROVIDER                   openai (default) or simulator (offline, no cost)
  SORA2_MCP_TOOLSET                    openai-videos (default), sora2 or all
  MEDIA_GEN_DIRS                       folders the server may read and write (first = output); default
                                       ~/Movies/sora2-mcp (macOS), $XDG_VIDEOS_DIR or ~/Videos/sora2-mcp (Linux),
                                       %USERPROFILE%\\Videos\\sora2-mcp (Windows)
  MEDIA_GEN_URLS                       allowlist for reference-image URLs
  MEDIA_GEN_MCP_URL_PREFIXES           public URL prefix per folder, for resource links
  SORA2_MCP_EXTRA_HEADERS              JSON object of headers sent to the provider (gateway hints, keys)
  SORA2_MCP_EXTRA_QUERY                JSON object of query parameters, e.g. {"custom_llm_provider":"gemini"}
  SORA2_MCP_REQUEST_FORMAT             multipart (default, the spec) or json (JSON-only gateways: LLM Gateway)
  SORA2_MCP_MODELS                     a JSON model catalog that adds to or replaces the built-in one
  SORA2_MCP_LOG_LEVEL                  debug, info (default), warn, error, silent
  MCP_NAME                             server name (default sora2-mcp)
  AZURE_OPENAI_API_KEY                 when set, every video call is refused (Azure is not supported)
  SORA2_MCP_REQUEST_TIMEOUT_MS         provider request timeout until the answer starts (default 120000)
  SORA2_MCP_DOWNLOAD_IDLE_TIMEOUT_MS   a download idle this long is retried (default 60000)
  SORA2_MCP_SIMULATOR_RENDER_MS        simulator render time of a 4-second clip (default 3000)
  SORA2_MCP_STORE                      where files go: the folders of MEDIA_GEN_DIRS (default) or s3://bucket/prefix
  SORA2_MCP_HTTP_TOKEN                 the bearer token sora2-mcp http requires (generated per run on loopback)
`;
