-- N steps of the five-body simulation over an array of body records
-- (bench/c/nbody_structs.c), energy before and after. LuaJIT: luajit nbody_structs.lua N
local PI = 3.141592653589793
local SM = 4.0 * PI * PI
local DPY = 365.24
local sqrt = math.sqrt

local function body(x, y, z, vx, vy, vz, mass)
  return {x = x, y = y, z = z, vx = vx, vy = vy, vz = vz, mass = mass}
end

local bodies = {
  body(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, SM),
  body(4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
       1.66007664274403694e-03 * DPY, 7.69901118419740425e-03 * DPY,
       -6.90460016972063023e-05 * DPY, 9.54791938424326609e-04 * SM),
  body(8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
       -2.76742510726862411e-03 * DPY, 4.99852801234917238e-03 * DPY,
       2.30417297573763929e-05 * DPY, 2.85885980666130812e-04 * SM),
  body(1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
       2.96460137564761618e-03 * DPY, 2.37847173959480950e-03 * DPY,
       -2.96589568540237556e-05 * DPY, 4.36624404335156298e-05 * SM),
  body(1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
       2.68067772490389322e-03 * DPY, 1.62824170038242295e-03 * DPY,
       -9.51592254519715870e-05 * DPY, 5.15138902046611451e-05 * SM),
}

local function energy(b)
  local e = 0.0
  local n = #b
  for i = 1, n do
    local bi = b[i]
    e = e + 0.5 * bi.mass * (bi.vx * bi.vx + bi.vy * bi.vy + bi.vz * bi.vz)
    for j = i + 1, n do
      local bj = b[j]
      local dx, dy, dz = bi.x - bj.x, bi.y - bj.y, bi.z - bj.z
      e = e - bi.mass * bj.mass / sqrt(dx * dx + dy * dy + dz * dz)
    end
  end
  return e
end

local function advance(b, dt)
  local n = #b
  for i = 1, n do
    local bi = b[i]
    for j = i + 1, n do
      local bj = b[j]
      local dx, dy, dz = bi.x - bj.x, bi.y - bj.y, bi.z - bj.z
      local d2 = dx * dx + dy * dy + dz * dz
      local mag = dt / (d2 * sqrt(d2))
      local mi, mj = bi.mass, bj.mass
      bi.vx = bi.vx - dx * mj * mag; bi.vy = bi.vy - dy * mj * mag
      bi.vz = bi.vz - dz * mj * mag
      bj.vx = bj.vx + dx * mi * mag; bj.vy = bj.vy + dy * mi * mag
      bj.vz = bj.vz + dz * mi * mag
    end
  end
  for i = 1, n do
    local bi = b[i]
    bi.x = bi.x + dt * bi.vx; bi.y = bi.y + dt * bi.vy; bi.z = bi.z + dt * bi.vz
  end
end

local px, py, pz = 0.0, 0.0, 0.0
for i = 1, #bodies do
  local b = bodies[i]
  px = px + b.vx * b.mass; py = py + b.vy * b.mass; pz = pz + b.vz * b.mass
end
bodies[1].vx = -px / SM; bodies[1].vy = -py / SM; bodies[1].vz = -pz / SM
print(string.format("%.9f", energy(bodies)))
for _ = 1, tonumber(arg[1]) do advance(bodies, 0.01) end
print(string.format("%.9f", energy(bodies)))
