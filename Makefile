# The two commands: `make run` and `make test`. Everything else is for maintainers.
GO ?= go
BIN := bin/emplois

.PHONY: run build test vet lint assets

run: build ## build and serve the demo on SQLite at http://localhost:8080
	./$(BIN) serve --demo

build:
	$(GO) build -o $(BIN) ./cmd/emplois

test: ## the whole suite (PostgreSQL too when TEST_DATABASE_URL is set; browser tests with EMPLOIS_BROWSER_TESTS=1)
	$(GO) test -count=1 ./...

vet:
	$(GO) vet ./...

lint: vet ## go vet + staticcheck
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.7.0 ./...
