-- wrk script for the bench scripts: POSTs the file named by BODY_FILE, as application/json, to the URL's path
-- (/invocations, /models/NAME/invoke, ...).
local file = assert(io.open(assert(os.getenv("BODY_FILE"), "BODY_FILE not set"), "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
wrk.headers["Content-Type"] = "application/json"
file:close()
