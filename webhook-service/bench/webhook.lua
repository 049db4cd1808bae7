-- wrk script: each thread posts its own slice of the pre-signed deliveries in requests.tsv
-- (written by signed-requests.py), so no delivery is sent twice and none is a duplicate.
local threads = {}
local counter = 0

function setup(thread)
   thread:set("id", counter)
   counter = counter + 1
   table.insert(threads, thread)
end

function init(args)
   local file = args[1] or "requests.tsv"
   local total_threads = tonumber(args[2] or "1")
   requests = {}
   local n = 0
   for line in io.lines(file) do
      if n % total_threads == id then
         local tab = line:find("\t", 1, true)
         table.insert(requests, wrk.format("POST", "/webhooks/whatsapp",
            {["Content-Type"] = "application/json", ["X-Hub-Signature-256"] = line:sub(1, tab - 1)},
            line:sub(tab + 1)))
      end
      n = n + 1
   end
   next_request = 1
   non_200 = 0
end

function request()
   local r = requests[next_request]
   next_request = next_request % #requests + 1
   return r
end

function response(status, headers, body)
   if status ~= 200 then
      non_200 = non_200 + 1
   end
end

function done(summary, latency, requests)
   io.write(string.format("requests %d, non-2xx/3xx %d, errors connect %d read %d write %d timeout %d\n",
      summary.requests, summary.errors.status, summary.errors.connect, summary.errors.read,
      summary.errors.write, summary.errors.timeout))
   for _, p in pairs({50, 90, 99, 99.9}) do
      io.write(string.format("latency p%g %.2f ms\n", p, latency:percentile(p) / 1000))
   end
end
