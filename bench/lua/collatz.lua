-- The longest Collatz chain below N (bench/c/collatz.c). LuaJIT: luajit collatz.lua N
local function chain(n)
  local steps = 1
  while n ~= 1 do
    if n % 2 == 0 then n = n / 2 else n = 3 * n + 1 end
    steps = steps + 1
  end
  return steps
end
local n, best, best_start = tonumber(arg[1]), 0, 0
for i = 1, n - 1 do
  local s = chain(i)
  if s > best then best = s; best_start = i end
end
print(string.format("%d %d", best_start, best))
