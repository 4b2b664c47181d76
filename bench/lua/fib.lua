-- Recursive Fibonacci (bench/c/fib.c): calls and integer adds. LuaJIT: luajit fib.lua N
local function fib(n)
  if n < 2 then return n end
  return fib(n - 1) + fib(n - 2)
end
print(string.format("%d", fib(tonumber(arg[1]))))
