-- wrk script for bench/compare.sh: POSTs the file named by BODY_FILE to /invocations as application/json.
local file = assert(io.open(assert(os.getenv("BODY_FILE"), "BODY_FILE not set"), "rb"))
wrk.method = "POST"
wrk.path = "/invocations"
wrk.body = file:read("*a")
wrk.headers["Content-Type"] = "application/json"
file:close()
