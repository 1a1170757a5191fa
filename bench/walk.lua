-- wrk script for bench/*.sh: walks a URL list (the file given after --) at random, or requests the
-- command line's URL when there is none; at the end prints
-- "RESULT requests/s p50-ms p99-ms errors requests" (errors: non-2xx, connect, read, timeout).
local paths = {}
init = function(args)
  if args[1] then for line in io.lines(args[1]) do paths[#paths + 1] = line end end
end
request = function()
  if #paths == 0 then return wrk.format("GET") end
  return wrk.format("GET", paths[math.random(#paths)])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.0f %.2f %.2f %d %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout, summary.requests))
end
