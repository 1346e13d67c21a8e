-- hubsave language server for Neovim 0.11+ (vim.lsp.config reads lsp/<name>.lua
-- from 'runtimepath'). Put this file's parent directory on 'runtimepath', or copy
-- it to ~/.config/nvim/lsp/hubsave.lua, then call vim.lsp.enable('hubsave').
-- Settings and older Neovims: docs/editors/neovim.md.
---@type vim.lsp.Config
return {
  cmd = { 'hubsave', 'lsp' },
  filetypes = { 'python', 'sh', 'bash', 'make', 'markdown', 'yaml' },
  root_markers = { 'pyproject.toml', '.git' },
}
