// Presence members shared by every node, changed by Lua scripts so that a join or a leave and the
// question "was this the user's first (last) socket anywhere?" are one atomic step: `member_added`
// and `member_removed` go out once cluster-wide however many nodes and tabs a user has.
//
// Per channel (presenceKey): `:s` socket → user key, `:n` user key → sockets, `:m` user key → the
// member as JSON ({user_id, user_info}). Per node (nodePresenceKey): its "socket\nchannel" entries.

const LEAVE_ONE = `
local function leave(base, node_set, socket, channel)
  local user = redis.call('HGET', base .. ':s', socket)
  if not user then return false end
  redis.call('HDEL', base .. ':s', socket)
  redis.call('SREM', node_set, socket .. '\\n' .. channel)
  local left = redis.call('HINCRBY', base .. ':n', user, -1)
  if left > 0 then return false end
  local member = redis.call('HGET', base .. ':m', user)
  redis.call('HDEL', base .. ':n', user)
  redis.call('HDEL', base .. ':m', user)
  return member
end
`;

/**
 * ARGV: presence key, node presence set, socket, channel, user key, member JSON.
 * Returns {1 if the user is new anywhere else 0, the channel's members as user key, member JSON, …}.
 */
export const JOIN_SCRIPT = `
local base, node_set, socket, channel, user, member = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local added = 0
if redis.call('HSETNX', base .. ':s', socket, user) == 1 then
  redis.call('SADD', node_set, socket .. '\\n' .. channel)
  if redis.call('HINCRBY', base .. ':n', user, 1) == 1 then
    redis.call('HSET', base .. ':m', user, member)
    added = 1
  end
end
return {added, redis.call('HGETALL', base .. ':m')}
`;

/** ARGV: presence key, node presence set, socket, channel. Returns the member JSON when the user left the channel everywhere. */
export const LEAVE_SCRIPT = `${LEAVE_ONE}
return leave(ARGV[1], ARGV[2], ARGV[3], ARGV[4])
`;

/**
 * Removes every membership of a dead node. ARGV: node presence set, nodes set, node tag, node key,
 * presence key prefix. Runs once: a second reaper (or a node that came back) finds nothing to do.
 * Returns {channel, member JSON, …} for every user who left a channel everywhere.
 */
export const REAP_SCRIPT = `${LEAVE_ONE}
local node_set, nodes, tag, node_key, prefix = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
if redis.call('EXISTS', node_key) == 1 then return {} end
local removed = {}
for _, entry in ipairs(redis.call('SMEMBERS', node_set)) do
  local cut = string.find(entry, '\\n', 1, true)
  local socket, channel = string.sub(entry, 1, cut - 1), string.sub(entry, cut + 1)
  local member = leave(prefix .. channel, node_set, socket, channel)
  if member then
    table.insert(removed, channel)
    table.insert(removed, member)
  end
end
redis.call('DEL', node_set)
redis.call('SREM', nodes, tag)
return removed
`;
