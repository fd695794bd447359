/**
 * The Lua scripts behind `RedisCookieStore`. Each runs atomically on the
 * server, so concurrent writers (a fleet of workers) never lose a cookie or
 * an index entry, and the bounds hold under any interleaving.
 *
 * Layout under a prefix P (Redis 7.0 has no per-field hash expiry, so one
 * key per cookie):
 *
 *     P:c:<id>      string  the cookie as JSON; PXAT its expiry (none for a session cookie)
 *     P:d:<domain>  set     ids of the cookies stored for <domain> (lookup by request host)
 *     P:s:<site>    zset    ids of the cookies of a registrable domain, by write order (per-domain bound)
 *     P:all         zset    every id, by write order (total bound, enumeration)
 *     P:exp         zset    ids of persistent cookies, by expiry in ms (pruning the indexes)
 *     P:seq         string  the write counter
 *
 * An id is the JSON array `[site, domain, path, name]`: unambiguous, and it
 * tells a script which indexes to clean (a script that cannot decode one
 * still removes it, from the indexes it was found through). Redis deletes an expired cookie's
 * key on its own; its index entries are pruned by the next write.
 */

const COMMON = `
-- The [site, domain, path, name] of an id, or nil when cjson cannot read it
-- (e.g. a lone surrogate escape): never an error that would wedge a site.
local function parse(id)
  local ok, t = pcall(cjson.decode, id)
  if ok and type(t) == 'table' then return t end
  return nil
end
-- Removes a cookie and its index entries. site, domain: where the caller
-- found the id, used when the id cannot be parsed.
local function drop(p, id, site, domain)
  local t = parse(id)
  if t then
    site, domain = t[1], t[2]
  else
    -- Site and domain are ASCII (punycode) and lead the id: read them without cjson.
    local s, d = string.match(id, '^%["([^"]*)","([^"]*)",')
    site, domain = s or site, d or domain
  end
  redis.call('DEL', p .. ':c:' .. id)
  if domain then redis.call('SREM', p .. ':d:' .. domain, id) end
  if site then redis.call('ZREM', p .. ':s:' .. site, id) end
  redis.call('ZREM', p .. ':all', id)
  redis.call('ZREM', p .. ':exp', id)
end
local function prune(p, now)
  local ids = redis.call('ZRANGEBYSCORE', p .. ':exp', '-inf', now, 'LIMIT', 0, 1000)
  for _, id in ipairs(ids) do drop(p, id) end
end
-- Appends json, writeSeq for each id whose cookie still exists (Redis drops expired ones).
local function mget(p, ids, out)
  for i = 1, #ids, 500 do
    local keys = {}
    for j = i, math.min(i + 499, #ids) do keys[#keys + 1] = p .. ':c:' .. ids[j] end
    local vals = redis.call('MGET', unpack(keys))
    for k, v in ipairs(vals) do
      if v then
        out[#out + 1] = v
        out[#out + 1] = redis.call('ZSCORE', p .. ':all', ids[i + k - 1])
      end
    end
  end
  return out
end
`;

/**
 * ARGV: prefix, id, json, domain, site, expiresAt (ms, '' for a session
 * cookie), now (ms), maxCookiesPerDomain, maxCookies. Stores the cookie, or
 * deletes it when already expired, then evicts the least recently written
 * cookies beyond the bounds. Returns how many were evicted.
 */
export const PUT = `${COMMON}
local p, id, json, domain, site, exp = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local now = tonumber(ARGV[7])
local maxSite, maxAll = tonumber(ARGV[8]), tonumber(ARGV[9])
prune(p, now)
local key = p .. ':c:' .. id
if exp ~= '' then
  if tonumber(exp) <= now then
    drop(p, id, site, domain)
    return 0
  end
  redis.call('SET', key, json, 'PXAT', exp)
  redis.call('ZADD', p .. ':exp', exp, id)
else
  redis.call('SET', key, json)
  redis.call('ZREM', p .. ':exp', id)
end
local seq = redis.call('INCR', p .. ':seq')
redis.call('SADD', p .. ':d:' .. domain, id)
redis.call('ZADD', p .. ':s:' .. site, seq, id)
redis.call('ZADD', p .. ':all', seq, id)
local evicted = 0
local n = redis.call('ZCARD', p .. ':s:' .. site)
if n > maxSite then
  for _, old in ipairs(redis.call('ZRANGE', p .. ':s:' .. site, 0, n - maxSite - 1)) do
    drop(p, old, site)
    evicted = evicted + 1
  end
end
n = redis.call('ZCARD', p .. ':all')
if n > maxAll then
  for _, old in ipairs(redis.call('ZRANGE', p .. ':all', 0, n - maxAll - 1)) do
    drop(p, old)
    evicted = evicted + 1
  end
end
return evicted
`;

/** ARGV: prefix, domain... Returns json, writeSeq of every live cookie stored for those domains. */
export const FIND = `${COMMON}
local p = ARGV[1]
local out = {}
for i = 2, #ARGV do
  mget(p, redis.call('SMEMBERS', p .. ':d:' .. ARGV[i]), out)
end
return out
`;

/** ARGV: prefix. Returns json, writeSeq of every live cookie, in write order. */
export const ALL = `${COMMON}
local p = ARGV[1]
return mget(p, redis.call('ZRANGE', p .. ':all', 0, -1), {})
`;

/** ARGV: prefix, id, site, domain. Removes one cookie. */
export const REMOVE = `${COMMON}
drop(ARGV[1], ARGV[2], ARGV[3], ARGV[4])
return 1
`;

/** ARGV: prefix, domain, path ('' for every path). Removes the cookies stored for exactly that domain (and path). */
export const REMOVE_DOMAIN = `${COMMON}
local p, domain, path = ARGV[1], ARGV[2], ARGV[3]
local n = 0
for _, id in ipairs(redis.call('SMEMBERS', p .. ':d:' .. domain)) do
  local t = parse(id)
  if path == '' or not t or t[3] == path then
    drop(p, id, nil, domain)
    n = n + 1
  end
end
return n
`;

/** ARGV: prefix. Removes every cookie under the prefix. */
export const REMOVE_ALL = `${COMMON}
local p = ARGV[1]
local ids = redis.call('ZRANGE', p .. ':all', 0, -1)
for _, id in ipairs(ids) do drop(p, id) end
redis.call('DEL', p .. ':seq', p .. ':exp')
return #ids
`;
