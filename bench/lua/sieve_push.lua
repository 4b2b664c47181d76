-- Sieve whose flags are appended one at a time (bench/c/sieve_push.c), REPS sieves of
-- two million. LuaJIT: luajit sieve_push.lua REPS
local function sieve(n)
  local flags, len = {}, 0
  for k = 0, n do flags[len] = k >= 2; len = len + 1 end
  local i = 2
  while i * i <= n do
    if flags[i] then
      for j = i * i, n, i do flags[j] = false end
    end
    i = i + 1
  end
  local count = 0
  for k = 0, n do if flags[k] then count = count + 1 end end
  return count
end
local reps, total = tonumber(arg[1]), 0
for _ = 1, reps do total = total + sieve(2000000) end
print(string.format("%d", total))
