-- Opens a cloned repository's train.py, whose pyproject.toml names a program as hubsave's
-- interpreter (issue 13); run by test_neovim.py's untrusted-repository test after the
-- user's init.lua. Records hubsave's diagnostics and the messages Neovim showed
-- (window/showMessage is echoed into the :messages history).

local record = dofile(vim.fs.joinpath(vim.fs.dirname(debug.getinfo(1, 'S').source:sub(2)), 'record.lua'))
local params = record.params
local result = {}

local function messages()
  return vim.split(vim.api.nvim_exec2('messages', { output = true }).output, '\n', { trimempty = true })
end

local function hubsave_diagnostics(buf)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.source == 'hubsave' then
      out[#out + 1] = { code = d.code, message = d.message }
    end
  end
  return out
end

local function scenario()
  vim.cmd.edit(vim.fn.fnameescape(params.train))
  local buf = vim.api.nvim_get_current_buf()
  local function has_hs109()
    for _, d in ipairs(hubsave_diagnostics(buf)) do
      if d.code == 'HS109' then
        return true
      end
    end
    return false
  end
  if not vim.wait(30000, has_hs109, 10) then
    error('timed out waiting for HS109 on ' .. params.train, 0)
  end
  vim.wait(2000, function() -- the warning is sent before the diagnostics it came with
    return #messages() > 0
  end, 10)
  result.diagnostics = hubsave_diagnostics(buf)
  result.messages = messages()
end

record.finish(scenario, result)
