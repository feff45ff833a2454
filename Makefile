# The two commands: `make run` and `make test`. Everything else is for maintainers.
GO ?= go
BIN := bin/emplois

.PHONY: run build test vet lint assets

run: build ## build and serve the demo on SQLite at http://localhost:8080, in development mode
	EMPLOIS_DEV=1 ./$(BIN) serve --demo

build:
	$(GO) build -trimpath -ldflags="-s -w" -o $(BIN) ./cmd/emplois

# -race slows the suite about 6x (internal/web: 22 s -> 142 s of CPU); -timeout 30m keeps the
# 10-minute default per package from failing internal/web on a busy 2-core machine. The SQLite
# engine is C translated to Go (modernc.org/sqlite/lib): instrumenting it for races made every
# SQLite test about 7 times slower (importing the 35,000 communes: 62 s -> 9.6 s without) and
# checks no code of ours, so that one package is compiled without instrumentation; all of our
# code, and the driver around the engine, still run under the race detector. (Leaving out the
# whole of modernc.org, libc included, made the detector report false races elsewhere.)
RACE_FLAGS := -race -gcflags='modernc.org/sqlite/lib=-race=false'
# The browser journeys are the longest package (about 12 minutes in CI): named first, they start
# first instead of last, beside the others, so they are no longer the tail of the run.
test: ## the whole suite with the race detector (PostgreSQL too when TEST_DATABASE_URL is set; browser tests with EMPLOIS_BROWSER_TESTS=1)
	$(GO) test $(RACE_FLAGS) -count=1 -timeout 30m ./internal/web/browsertest ./...

vet:
	$(GO) vet ./...

lint: vet ## go vet + staticcheck
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

assets: ## vendor DSFR, htmx (embedded) and axe-core (browser tests) from npm
	bash scripts/assets.sh

.PHONY: bench-import bench-autocomplete

bench-import: ## import time of the full communes and appellations of ../shared/data, and of the whole folder (budget 10 s on SQLite for communes + appellations; PostgreSQL too with TEST_DATABASE_URL)
	$(GO) test -count=1 -run '^$$' -bench 'Import' -benchtime 1x ./internal/geo ./internal/rome ./internal/reference

bench-autocomplete: ## city and job autocomplete p50/p95 over the full data (PostgreSQL too with TEST_DATABASE_URL; per query: BENCHFLAGS=-v)
	$(GO) test -count=1 -run '^$$' -bench 'Autocomplete' -benchtime 1x $(BENCHFLAGS) ./internal/geo ./internal/rome

.PHONY: bench-search

.PHONY: bench-applications bench-pass bench-asp bench-api

bench-applications: ## candidatures over the national data set (same databases as bench-search): the big employer's inbox p95 <= 20 ms with its query count, Submit p95 <= 30 ms in-process, the XLSX export < 3 s with its peak heap; flags: BENCHFLAGS="-requests 500 -engines sqlite -submits 100"
	$(GO) run ./cmd/benchsearch -applications $(BENCHFLAGS)

bench-pass: ## PASS IAE over the national data set (same databases as bench-search): Accept with PASS issuance p95 <= 30 ms in-process (with the PASS issued), the employer's PASS list p95 <= 20 ms, the public verification p95 <= 10 ms, against the reference page, with query counts; flags: BENCHFLAGS="-requests 500 -engines sqlite -accepts 100"
	$(GO) run ./cmd/benchsearch -pass $(BENCHFLAGS)

bench-api: ## the partner API over the national data set (same databases as bench-search): every listing of /api/v1 with a page of 20, each with its token family, p95 <= 20 ms, and candidatures/recherche/ found and not found p95 <= 30 ms, against the reference page, with statements and results per request; flags: BENCHFLAGS="-requests 500 -engines sqlite -explain"
	$(GO) run ./cmd/benchsearch -api $(BENCHFLAGS)

bench-asp: ## import of national-size ASP exports (6,000 structures, 20,000 annexes) into an empty database, then of the next month's (updates), each under 10 s, on PostgreSQL (BENCH_ASP_DATABASE_URL, default: database emplois_bench_asp on 127.0.0.1:5432, created) and SQLite (var/bench-asp.db); then building and uploading a 700-line fiches salarié file to an in-process SFTP server, under 1 s (PostgreSQL too with TEST_DATABASE_URL); flags: BENCHFLAGS="-engines sqlite"
	$(GO) run ./cmd/benchsearch -asp $(BENCHFLAGS)
	$(GO) test -count=1 -run '^$$' -bench 'Upload700' -benchtime 5x ./internal/employeerecord

bench-search: ## search pages and API vs a reference page over the national data set, on PostgreSQL (BENCH_DATABASE_URL, default: database emplois_bench on 127.0.0.1:5432, created) and SQLite (var/bench.db); flags: BENCHFLAGS="-requests 500 -engines sqlite -explain"
	$(GO) run ./cmd/benchsearch $(BENCHFLAGS)
