-- Points of a SIZE x SIZE grid inside the Mandelbrot set, 100 iterations
-- (bench/c/mandelbrot.c). LuaJIT: luajit mandelbrot.lua SIZE
local function mandel(size, max_iter)
  local inside = 0
  for py = 0, size - 1 do
    local y0 = py * 2.0 / size - 1.0
    for px = 0, size - 1 do
      local x0 = px * 3.0 / size - 2.0
      local x, y, k = 0.0, 0.0, 0
      while k < max_iter and x * x + y * y <= 4.0 do
        local t = x * x - y * y + x0
        y = 2.0 * x * y + y0
        x = t
        k = k + 1
      end
      if k == max_iter then inside = inside + 1 end
    end
  end
  return inside
end
print(string.format("%d", mandel(tonumber(arg[1]), 100)))
