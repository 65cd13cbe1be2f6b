#!/usr/bin/env bash
# The demo: start the local mirror, crawl 泉州网 from it twice, build the feeds, say where they are.
set -euo pipefail
cd "$(dirname "$0")/.."
demo=var/demo
rm -rf "$demo"
mkdir -p "$demo"

python -m crawler.mirror --port 0 --url-file "$demo/mirror.url" >"$demo/mirror.log" 2>&1 &
mirror_pid=$!
trap 'kill $mirror_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s "$demo/mirror.url" ] && break; sleep 0.1; done
mirror_url=$(cat "$demo/mirror.url")
echo "Local mirror of qzwb.com at $mirror_url"

crawl() {
  scrapy crawl qzwb --loglevel INFO --logfile "$demo/crawl-$1.log" \
    -s MIRROR_URL="$mirror_url" -s DOWNLOAD_DELAY=0.05 -s AUTOTHROTTLE_ENABLED=False \
    -s DATABASE_URL="sqlite:///$demo/news.db" -s FEEDS_DIR="$demo/feeds" \
    -s STATS_FILE="$demo/stats-$1.json"
  python - "$demo/stats-$1.json" "$1" <<'PY'
import json, sys
stats = json.load(open(sys.argv[1]))
get = lambda key: stats.get(key, 0)
print(f"crawl {sys.argv[2]}: {get('downloader/request_count')} requests, "
      f"{get('spider/article_pages')} article pages fetched, {get('known_articles/skipped')} skipped as stored, "
      f"{get('store/new')} new, {get('store/updated')} updated, {get('feeds/rewritten')} feeds rewritten")
PY
}

echo "First crawl: scrapy crawl qzwb (log: $demo/crawl-1.log)"
crawl 1
echo "Second crawl of the unchanged mirror (log: $demo/crawl-2.log)"
crawl 2

echo
echo "Feeds (Atom) in $demo/feeds:"
find "$demo/feeds" -name '*.xml' | sort | sed 's/^/  /'
echo "All of them in one OPML file for your reader: $demo/feeds/feeds.opml"
echo "Serve them: .venv/bin/scrapy feeds serve -s FEEDS_DIR=$demo/feeds -s DATABASE_URL=sqlite:///$demo/news.db"
echo "  then open http://127.0.0.1:8080/ (every feed, with its subscribe link)"
