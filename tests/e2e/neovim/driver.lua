-- Drives a real Neovim through hubsave; run by test_neovim.py after the user's init.lua.
-- It only does what a user does and records what Neovim shows; the Python test asserts.
-- Parameters come from the JSON file named by $HUBSAVE_E2E_PARAMS; the result is written
-- as JSON to params.result, also when a step fails (then `error` says which and why).

local record = dofile(vim.fs.joinpath(vim.fs.dirname(debug.getinfo(1, 'S').source:sub(2)), 'record.lua'))
local params = record.params
local result = {}

local function wait(what, timeout_ms, condition)
  if not vim.wait(timeout_ms, condition, 10) then
    error('timed out after ' .. timeout_ms .. ' ms waiting for ' .. what, 0)
  end
end

--- hubsave's diagnostics in `buf`, as Neovim holds them (0-based lines, byte columns).
local function diagnostics(buf)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.source == 'hubsave' then
      out[#out + 1] =
        { lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col, code = d.code, severity = d.severity }
    end
  end
  table.sort(out, function(a, b)
    return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col)
  end)
  return out
end

local function has_code(buf, code)
  for _, d in ipairs(diagnostics(buf)) do
    if d.code == code then
      return true
    end
  end
  return false
end

local function floating_window()
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(win).relative ~= '' then
      return win
    end
  end
end

local function open(path)
  vim.cmd.edit(vim.fn.fnameescape(path))
  local buf = vim.api.nvim_get_current_buf()
  wait('hubsave to attach to ' .. path, 10000, function()
    return #vim.lsp.get_clients({ bufnr = buf, name = 'hubsave' }) == 1
  end)
  return buf
end

local function hover_at(line, col)
  vim.api.nvim_win_set_cursor(0, { line + 1, col })
  vim.lsp.buf.hover()
  wait('the hover window', 10000, floating_window)
  local win = floating_window()
  local lines = vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(win), 0, -1, false)
  vim.api.nvim_win_close(win, true)
  return lines
end

local function scenario()
  local started = vim.uv.hrtime()
  local function ms()
    return (vim.uv.hrtime() - started) / 1e6
  end

  -- 1. The seed example: diagnostics as published, and hovers on repo ids.
  local seed = open(params.seed)
  wait('diagnostics on the seed example', 15000, function()
    return #diagnostics(seed) > 0
  end)
  result.seed_ms = ms()
  result.seed = diagnostics(seed)
  local client = vim.lsp.get_clients({ bufnr = seed, name = 'hubsave' })[1]
  result.client = {
    offset_encoding = client.offset_encoding,
    root_dir = client.root_dir,
    pull_offered = client.server_capabilities.diagnosticProvider ~= nil,
  }
  result.hover = hover_at(params.hover.line, params.hover.col)
  result.hub_hover = hover_at(params.hub_hover.line, params.hub_hover.col)

  -- 2. Non-ASCII text before the flagged call: the documented quick fix, applied by Neovim.
  local unicode = open(params.unicode)
  wait('HS101 on the non-ASCII example', 10000, function()
    return has_code(unicode, 'HS101')
  end)
  result.unicode = diagnostics(unicode)
  local hs101 = result.unicode[1]
  vim.api.nvim_win_set_cursor(0, { hs101.lnum + 1, hs101.col })
  local tick = vim.b[unicode].changedtick
  dofile(params.quick_fix)
  wait('the quick fix to edit the buffer', 10000, function()
    return vim.b[unicode].changedtick ~= tick
  end)
  result.fixed_text = vim.api.nvim_buf_get_lines(unicode, 0, -1, false)
  wait('HS101 to go after the fix (HS103 on the other config stays)', 10000, function()
    return not has_code(unicode, 'HS101') and has_code(unicode, 'HS103')
  end)
  result.after_fix = diagnostics(unicode)

  -- 3. The documented settings change reaches Neovim without an edit.
  local tick_before = vim.b[unicode].changedtick
  dofile(params.change_settings)
  wait('HS103 to go after the settings change', 10000, function()
    return not has_code(unicode, 'HS103')
  end)
  result.after_settings = diagnostics(unicode)
  result.edited_by_settings = vim.b[unicode].changedtick ~= tick_before

  -- 4. The documented fix-all on the seed example.
  vim.cmd.buffer(seed)
  tick = vim.b[seed].changedtick
  dofile(params.fix_all)
  wait('fix-all to edit the seed example', 10000, function()
    return vim.b[seed].changedtick ~= tick
  end)
  result.seed_fixed_text = vim.api.nvim_buf_get_lines(seed, 0, -1, false)
  -- Safe fixes only: push_to_hub_token=None goes; the other two HS104 fixes drop an
  -- argument that decided the target in transformers 4.x (unsafe), so they stay.
  local function count(buf, code)
    local n = 0
    for _, d in ipairs(diagnostics(buf)) do
      if d.code == code then n = n + 1 end
    end
    return n
  end
  wait('the fixed HS104 to go from the seed example', 10000, function()
    return count(seed, 'HS104') == 2
  end)
  result.seed_after_fix_all = diagnostics(seed)

  -- 5. A shell script (filetype sh): the `hf jobs` command line gets its diagnostics.
  local shell = open(params.shell)
  result.shell_filetype = vim.bo[shell].filetype
  wait('HS301 on the shell script', 10000, function()
    return has_code(shell, 'HS301')
  end)
  result.shell = diagnostics(shell)
  result.clients = #vim.lsp.get_clients({ name = 'hubsave' })
  result.total_ms = ms()
end

record.finish(scenario, result)
