# Starts the fake Graph API (tests/graph/fake_graph.py) on 127.0.0.1 over
# HTTPS with a test CA and points fbvault at it. Source after lib.sh.
#   graph_config JSON   replace the fake's configuration (atomic rename)
#   start_graph NAME [PREFIX]  start a server, URL in GRAPH_URL (PREFIX "other-":
#                        a certificate from another CA)
#   log_mark / log_since  the request log lines of one flow
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
GRAPH_DIR="$FBVAULT_SRC/tests/graph"
bash "$GRAPH_DIR/make_ca.sh" "$T/ca" || { echo "make_ca.sh failed" >&2; exit 1; }
GRAPH_PIDS=""
CLEANUP_HOOK='for p in $GRAPH_PIDS; do kill $p 2>/dev/null; done'

graph_config() {
	printf '%s\n' "$1" > "$T/graph.json.tmp"
	mv "$T/graph.json.tmp" "$T/graph.json"
}

# start_graph NAME [CERT_PREFIX]: starts a server; its URL is then in GRAPH_URL.
start_graph() {
	local name=$1 prefix=${2:-} i
	python3 "$GRAPH_DIR/fake_graph.py" --cert "$T/ca/${prefix}server.pem" \
		--key "$T/ca/${prefix}server.key" --config "$T/graph.json" \
		--port-file "$T/$name.port" --log "$T/$name.log" --max-seconds 900 \
		> /dev/null 2> "$T/$name.err" &
	GRAPH_PIDS="$GRAPH_PIDS $!"
	for i in $(seq 1 100); do
		[ -s "$T/$name.port" ] && break
		sleep 0.1
	done
	[ -s "$T/$name.port" ] || { echo "fake Graph $name did not start: $(cat "$T/$name.err")" >&2; exit 1; }
	GRAPH_URL="https://127.0.0.1:$(cat "$T/$name.port")"
}

log_mark() { wc -l < "$T/${1:-graph}.log"; }
# log_since MARK [NAME]: the log lines after MARK, as a file path
log_since() {
	tail -n +"$(($1 + 1))" "$T/${2:-graph}.log" > "$T/flow.log"
	echo "$T/flow.log"
}
