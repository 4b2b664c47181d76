-- Nested loops with xor and modulo (bench/c/loops.c). LuaJIT: luajit loops.lua N
local bxor = bit.bxor
local function work(n)
  local s = 0
  for i = 0, n - 1 do
    for j = 0, n - 1 do
      s = (s * 31 + bxor(i, j)) % 1000003
    end
  end
  return s
end
print(string.format("%d", work(tonumber(arg[1]))))
