#!/usr/bin/env bash
# The demo: start the local mirrors, crawl every site from them twice, build the feeds, say where they are.
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
sites=$(scrapy list)
echo "Local mirrors of $(echo $sites | wc -w) sites at $mirror_url: $(echo $sites)"

crawl_all() {
  for site in $sites; do
    scrapy crawl "$site" --loglevel INFO --logfile "$demo/crawl-$1-$site.log" \
      -s MIRROR_URL="$mirror_url" -s DOWNLOAD_DELAY=0.05 -s AUTOTHROTTLE_ENABLED=False \
      -s DATABASE_URL="sqlite:///$demo/news.db" -s FEEDS_DIR="$demo/feeds" \
      -s STATS_FILE="$demo/stats-$1-$site.json"
  done
  python - "$demo" "$1" $sites <<'PY'
import json, sys
demo, round_, sites = sys.argv[1], sys.argv[2], sys.argv[3:]
columns = ("requests", "article pages", "new articles", "updated", "new stories", "joined a story", "lists unchanged (304)")
keys = ("downloader/request_count", "spider/article_pages", "store/new", "store/updated", "stories/new", "stories/copies",
        "conditional_get/not_modified")
print(f"  {'site':8}" + "".join(f"{name:>{len(name) + 3}}" for name in columns))
totals = [0] * len(keys)
for site in sites:
    stats = json.load(open(f"{demo}/stats-{round_}-{site}.json"))
    values = [stats.get(key, 0) for key in keys]
    totals = [total + value for total, value in zip(totals, values)]
    print(f"  {site:8}" + "".join(f"{value:>{len(name) + 3}}" for name, value in zip(columns, values)))
print(f"  {'all':8}" + "".join(f"{value:>{len(name) + 3}}" for name, value in zip(columns, totals)))
PY
}

echo
echo "First crawl of every site (logs: $demo/crawl-1-<site>.log)"
crawl_all 1
echo
echo "Second crawl of the unchanged mirrors: list pages asked for only if changed (304), no article fetched again"
crawl_all 2

echo
echo "Feeds (Atom) in $demo/feeds: $(find "$demo/feeds" -name '*.xml' | wc -l) files, e.g."
for feed in all.xml city/泉州.xml city/济宁.xml city/沈阳.xml; do
  [ -f "$demo/feeds/$feed" ] && echo "  $demo/feeds/$feed"
done
echo "All of them in one OPML file for your reader: $demo/feeds/feeds.opml"
echo "Serve them: .venv/bin/scrapy feeds serve -s FEEDS_DIR=$demo/feeds -s DATABASE_URL=sqlite:///$demo/news.db"
echo "  then open http://127.0.0.1:8080/ (every feed, with its subscribe link)"
