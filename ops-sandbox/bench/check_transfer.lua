-- wrk script: POST one fixed signed body (bench/run.sh writes body.xml and
-- passes the signature and username in the environment).
local f = assert(io.open(os.getenv("BENCH_BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "text/xml"
wrk.headers["X-Username"] = os.getenv("BENCH_USER")
wrk.headers["X-Signature"] = os.getenv("BENCH_SIGNATURE")
