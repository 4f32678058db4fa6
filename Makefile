# The matcher on a honeycluster: Neo4j (the official chart), the matcher (helm/matcher), the attack models.
# Needs kubectl and helm 3 pointed at the cluster; `make help` lists the targets. Any variable below can be
# overridden: `make install-matcher NAMESPACE=honey IMAGE_TAG=0.1.0`.

# Neo4j and the matcher share a namespace: the matcher reads Neo4j's credentials from Neo4j's Secret.
NAMESPACE ?= matcher
RELEASE ?= matcher
CHART ?= helm/matcher
# Extra arguments for `helm upgrade --install` of the matcher, e.g. --set mode=daemonset.
MATCHER_HELM_ARGS ?=

VERSION := $(shell node -p "require('./package.json').version" 2>/dev/null)
IMAGE ?= k8sstormcenter/matcher
IMAGE_TAG ?= $(VERSION)
CONTAINER_ENGINE ?= docker

NEO4J_RELEASE ?= neo4j
# The Secret holding NEO4J_AUTH=neo4j/<password>, created by install-neo4j with a generated password.
NEO4J_SECRET ?= neo4j-auth
# The official Neo4j chart repository (https://neo4j.com/docs/operations-manual/current/kubernetes/).
NEO4J_CHART_REPO ?= https://helm.neo4j.com/neo4j
# Neo4j 5.26, the LTS line the matcher is tested against.
NEO4J_CHART_VERSION ?= 5.26.21
# Extra arguments for the Neo4j chart, e.g. --set neo4j.resources.memory=4Gi.
NEO4J_HELM_ARGS ?=
# The Neo4j chart names its ClusterIP Service after the release. Not NEO4J_URI: that one a developer
# may have exported for a local server, and it must not leak into the cluster install.
NEO4J_CLUSTER_URI ?= bolt://$(NEO4J_RELEASE).$(NAMESPACE).svc:7687
# Local port insert-attack-models forwards to Neo4j's Bolt port.
NEO4J_LOCAL_BOLT_PORT ?= 17687

STIX_MODEL_PATH ?= stix/examples/hostpath-attack-model.json

# Waits until 127.0.0.1:<port> accepts connections (the port-forward is up), for at most 30 s.
define WAIT_FOR_PORT
const net = require('node:net');
const port = Number(process.argv[1]);
const deadline = Date.now() + 30000;
const attempt = () => net.connect(port, '127.0.0.1')
  .on('connect', () => process.exit(0))
  .on('error', () => {
    if (Date.now() > deadline) { console.error('No port-forward on 127.0.0.1:' + port + ' after 30 s.'); process.exit(1); }
    setTimeout(attempt, 300);
  });
attempt();
endef
export WAIT_FOR_PORT

# helm 3 from PATH, or the pinned build scripts/helm.mjs makes with Go.
HELM ?= $(shell command -v helm 2>/dev/null || echo node scripts/helm.mjs)

.DEFAULT_GOAL := help

.PHONY: help
help: ## Show the targets and what they do
	@awk 'BEGIN { FS = ":.*## " } /^[a-zA-Z0-9_-]+:.*## / { printf "  %-22s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

.PHONY: all
all: install-neo4j install-matcher insert-attack-models ## Install Neo4j and the matcher, then load the attack model

.PHONY: namespace
namespace: ## Create the namespace if it does not exist
	@kubectl get namespace $(NAMESPACE) >/dev/null 2>&1 || kubectl create namespace $(NAMESPACE)

.PHONY: neo4j-secret
neo4j-secret: namespace ## Create the Neo4j credentials Secret with a generated password (kept if it exists)
	@if kubectl get secret -n $(NAMESPACE) $(NEO4J_SECRET) >/dev/null 2>&1; then \
	  echo "Secret $(NAMESPACE)/$(NEO4J_SECRET) exists; keeping its password."; \
	else \
	  password=$$(LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 32); \
	  printf 'neo4j/%s' "$$password" | kubectl create secret generic -n $(NAMESPACE) $(NEO4J_SECRET) \
	    --from-file=NEO4J_AUTH=/dev/stdin >/dev/null; \
	  echo "Created Secret $(NAMESPACE)/$(NEO4J_SECRET) with a generated password (make forward-neo4j shows how to read it)."; \
	fi

.PHONY: install-neo4j
install-neo4j: neo4j-secret ## Install Neo4j with the official chart, its password in the Secret NEO4J_SECRET
	$(HELM) repo add neo4j $(NEO4J_CHART_REPO) --force-update >/dev/null
	$(HELM) upgrade --install $(NEO4J_RELEASE) neo4j/neo4j --version $(NEO4J_CHART_VERSION) \
	  --namespace $(NAMESPACE) \
	  --set neo4j.name=$(NEO4J_RELEASE) \
	  --set neo4j.passwordFromSecret=$(NEO4J_SECRET) \
	  --set volumes.data.mode=defaultStorageClass \
	  --set services.neo4j.enabled=false \
	  --wait --timeout 10m $(NEO4J_HELM_ARGS)

.PHONY: install-matcher
install-matcher: namespace ## Install or upgrade the matcher chart, reading Neo4j's credentials from NEO4J_SECRET
	$(HELM) upgrade --install $(RELEASE) $(CHART) \
	  --namespace $(NAMESPACE) \
	  --set image.repository=$(IMAGE) \
	  --set image.tag=$(IMAGE_TAG) \
	  --set neo4j.uri=$(NEO4J_CLUSTER_URI) \
	  --set neo4j.existingSecret=$(NEO4J_SECRET) \
	  --wait --timeout 5m $(MATCHER_HELM_ARGS)

.PHONY: insert-attack-models
insert-attack-models: dist/cli/main.js ## Load STIX_MODEL_PATH (default: the HostPath example) into Neo4j via a port-forward
	@set -eu; \
	auth=$$(kubectl get secret -n $(NAMESPACE) $(NEO4J_SECRET) -o jsonpath='{.data.NEO4J_AUTH}' | base64 --decode); \
	kubectl port-forward -n $(NAMESPACE) svc/$(NEO4J_RELEASE) $(NEO4J_LOCAL_BOLT_PORT):7687 >/dev/null & \
	forward=$$!; \
	trap 'kill $$forward 2>/dev/null || true' EXIT; \
	node -e "$$WAIT_FOR_PORT" $(NEO4J_LOCAL_BOLT_PORT); \
	NEO4J_URI=bolt://127.0.0.1:$(NEO4J_LOCAL_BOLT_PORT) NEO4J_AUTH="$$auth" \
	  node dist/cli/main.js load $(STIX_MODEL_PATH)

.PHONY: forward-neo4j
forward-neo4j: ## Forward Neo4j Browser (localhost:7474) and Bolt (localhost:7687) until Ctrl-C
	@echo "Neo4j Browser: http://localhost:7474 (user neo4j). The password:"
	@echo "  kubectl get secret -n $(NAMESPACE) $(NEO4J_SECRET) -o jsonpath='{.data.NEO4J_AUTH}' | base64 --decode | cut -d/ -f2-"
	kubectl port-forward -n $(NAMESPACE) svc/$(NEO4J_RELEASE) 7474:7474 7687:7687

.PHONY: logs
logs: ## Follow the sightings the matcher writes (JSON lines with "kind":"sighting")
	kubectl logs -f -n $(NAMESPACE) -l app.kubernetes.io/instance=$(RELEASE) --prefix --max-log-requests 50 \
	  | grep --line-buffered '"kind":"sighting"'

.PHONY: destroy
destroy: ## Uninstall the matcher and Neo4j and delete Neo4j's Secret and data volume
	-$(HELM) uninstall $(RELEASE) --namespace $(NAMESPACE)
	-$(HELM) uninstall $(NEO4J_RELEASE) --namespace $(NAMESPACE)
	kubectl delete secret -n $(NAMESPACE) $(NEO4J_SECRET) --ignore-not-found
	kubectl delete pvc -n $(NAMESPACE) data-$(NEO4J_RELEASE)-0 --ignore-not-found

# Development.

node_modules: package-lock.json
	npm ci
	@touch node_modules

dist/cli/main.js: node_modules $(shell find src -name '*.ts' 2>/dev/null)
	npm run build

.PHONY: build
build: node_modules ## Compile TypeScript to dist/
	npm run build

.PHONY: test
test: node_modules ## Type check, lint, build and run every test (npm test)
	npm test

.PHONY: image
image: ## Build the container image IMAGE:IMAGE_TAG
	$(CONTAINER_ENGINE) build -t $(IMAGE):$(IMAGE_TAG) .

.PHONY: helm-lint
helm-lint: ## Lint the chart and render it in each mode
	$(HELM) lint $(CHART)
	$(HELM) lint $(CHART) --set mode=daemonset
	$(HELM) template $(RELEASE) $(CHART) >/dev/null
	$(HELM) template $(RELEASE) $(CHART) --set mode=daemonset >/dev/null
