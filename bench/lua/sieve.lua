-- Sieve of Eratosthenes over a preallocated flag array (bench/c/sieve.c), REPS sieves of
-- one million. LuaJIT: luajit sieve.lua REPS
local function sieve(n)
  local flags = {}
  for k = 0, n do flags[k] = true end
  flags[0] = false; flags[1] = false
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
for _ = 1, reps do total = total + sieve(1000000) end
print(string.format("%d", total))
