-- Shared by the e2e drivers: the parameters test_neovim.py wrote, and `finish`, which runs
-- a driver's scenario, writes what it recorded as JSON to params.result (with `error`
-- saying which step failed and why) and quits Neovim.
local M = {}

M.params = vim.json.decode(table.concat(vim.fn.readfile(vim.env.HUBSAVE_E2E_PARAMS), '\n'))

function M.finish(scenario, result)
  local ok, err = xpcall(scenario, debug.traceback)
  if not ok then
    result.error = tostring(err)
  end
  vim.fn.writefile({ vim.json.encode(result) }, M.params.result)
  vim.cmd('qa!')
end

return M
