-- `make bench`'s single-visitor search: one query after another, each different, so every answer
-- is searched for in the database (the benchmark signs in, and a signed-in page is never served
-- from the page cache). Words a shopper types, with and without their accents, some matching
-- thousands of products, some a few, one nothing; first and second pages.
local queries = {
  "mat+ong", "m%E1%BA%ADt+ong", "ca+phe", "c%C3%A0+ph%C3%AA", "che", "ch%C3%A8+shan",
  "gao", "thit+trau", "ruou+ngo", "tao+meo", "sa+pa", "bac+ha", "nam+huong", "mien+dong",
  "tho+cam", "khong+co+san+pham+nay", "mat+ong&page=2", "ca+phe&page=2",
}
local n = 0

request = function()
  n = n + 1
  return wrk.format(nil, "/search?q=" .. queries[(n % #queries) + 1])
end

done = function(summary, latency, requests)
  -- Microseconds; read by scripts/bench/table.py parse-latency.
  io.write(string.format("search-latency\t%d\t%d\t%d\t%d\n", summary.requests,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
