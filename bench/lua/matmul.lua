-- Dense N x N matrix multiply on flat float arrays, i-k-j order (bench/c/matmul.c).
-- LuaJIT: luajit matmul.lua N
local function matmul(n)
  local a, b, c = {}, {}, {}
  for i = 0, n - 1 do
    for j = 0, n - 1 do
      a[i * n + j] = (i * j) % 7 + 0.5
      b[i * n + j] = (i + j) % 5 - 1.0
      c[i * n + j] = 0.0
    end
  end
  for i = 0, n - 1 do
    for k = 0, n - 1 do
      local aik = a[i * n + k]
      for j = 0, n - 1 do
        c[i * n + j] = c[i * n + j] + aik * b[k * n + j]
      end
    end
  end
  local s = 0.0
  for i = 0, n * n - 1 do s = s + c[i] end
  return s
end
print(string.format("%.17g", matmul(tonumber(arg[1]))))
