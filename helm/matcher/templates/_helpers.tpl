{{/* The chart name, overridable. */}}
{{- define "matcher.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's full name: the release name, with the chart name unless it already contains it. */}}
{{- define "matcher.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "matcher.selectorLabels" -}}
app.kubernetes.io/name: {{ include "matcher.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "matcher.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "matcher.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: matcher
{{- end }}

{{- define "matcher.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "matcher.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "matcher.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
Whether the pod-log source is on ("true" or ""): null follows the mode. A DaemonSet pod reads every
matching pod in the cluster, so the pod-log source in daemonset mode would read each event once per node.
*/}}
{{- define "matcher.podLogsEnabled" -}}
{{- $enabled := .Values.sources.podLogs.enabled }}
{{- if kindIs "invalid" $enabled }}
{{- if eq .Values.mode "deployment" }}true{{ end }}
{{- else if $enabled }}
{{- if eq .Values.mode "daemonset" }}
{{- fail "sources.podLogs.enabled=true needs mode=deployment: in daemonset mode every pod would read every matching pod's log, so each event would be matched once per node. Use mode=deployment for the pod-log source, or tail the node's Tetragon file in daemonset mode." }}
{{- end }}
{{- true }}
{{- end }}
{{- end }}

{{/* Whether the node's Tetragon file is tailed ("true" or ""). */}}
{{- define "matcher.tailTetragon" -}}
{{- if and (eq .Values.mode "daemonset") .Values.daemonset.tetragon.enabled }}true{{ end }}
{{- end }}

{{/* Every file tailed, as a list: the configured ones and, in daemonset mode, the node's Tetragon file. */}}
{{- define "matcher.tailPaths" -}}
{{- $paths := .Values.sources.tail.paths }}
{{- if include "matcher.tailTetragon" . }}
{{- $paths = append $paths (printf "%s/%s" (trimSuffix "/" .Values.daemonset.tetragon.hostPath) .Values.daemonset.tetragon.file) }}
{{- end }}
{{- toJson $paths }}
{{- end }}

{{/* Whether the pod runs as UID 0 (daemonset mode only; see daemonset.runAsRoot in values.yaml). */}}
{{- define "matcher.runAsRoot" -}}
{{- if and (eq .Values.mode "daemonset") .Values.daemonset.runAsRoot }}true{{ end }}
{{- end }}

{{/* A whole number setting as the daemon reads it: digits only (no 1e+06 from large YAML numbers). */}}
{{- define "matcher.wholeNumber" -}}
{{- . | int64 | toString | quote }}
{{- end }}

{{/* The daemon's settings as environment variables; src/config.ts names them. */}}
{{- define "matcher.env" -}}
{{- $tailPaths := include "matcher.tailPaths" . | fromJsonArray -}}
- name: MATCHER_CLUSTER_NAME
  value: {{ .Values.clusterName | quote }}
- name: MATCHER_LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
- name: MATCHER_HTTP_PORT
  value: {{ include "matcher.wholeNumber" .Values.http.port }}
- name: MATCHER_STATE_DIR
  value: /var/lib/matcher
- name: MATCHER_INDICATOR_REFRESH_INTERVAL_MS
  value: {{ include "matcher.wholeNumber" .Values.indicators.refreshIntervalMs }}
- name: MATCHER_AGGREGATION_WINDOW_MS
  value: {{ include "matcher.wholeNumber" .Values.aggregationWindowMs }}
- name: MATCHER_CORRELATION_HORIZON_MS
  value: {{ include "matcher.wholeNumber" .Values.correlation.horizonMs }}
- name: MATCHER_OUT_OF_ORDER_TOLERANCE_MS
  value: {{ include "matcher.wholeNumber" .Values.correlation.outOfOrderToleranceMs }}
- name: MATCHER_MAX_PARTIAL_PER_INDICATOR
  value: {{ include "matcher.wholeNumber" .Values.correlation.maxPartialPerIndicator }}
- name: MATCHER_SHUTDOWN_GRACE_MS
  value: {{ include "matcher.wholeNumber" .Values.shutdownGraceMs }}
{{- if $tailPaths }}
- name: MATCHER_TAIL_PATHS
  value: {{ join "," $tailPaths | quote }}
- name: MATCHER_TAIL_START_AT
  value: {{ .Values.sources.tail.startAt | quote }}
{{- end }}
{{- if include "matcher.podLogsEnabled" . }}
- name: MATCHER_KUBE_LABEL_SELECTOR
  value: {{ .Values.sources.podLogs.labelSelector | quote }}
{{- with .Values.sources.podLogs.namespace }}
- name: MATCHER_KUBE_NAMESPACE
  value: {{ . | quote }}
{{- end }}
{{- with .Values.sources.podLogs.container }}
- name: MATCHER_KUBE_CONTAINER
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- if .Values.sources.auditWebhook.enabled }}
- name: MATCHER_AUDIT_WEBHOOK_PORT
  value: {{ include "matcher.wholeNumber" .Values.sources.auditWebhook.port }}
{{- end }}
{{- with .Values.indicators.files }}
- name: MATCHER_INDICATORS
  value: {{ join "," . | quote }}
{{- end }}
{{- with .Values.neo4j.uri }}
- name: NEO4J_URI
  value: {{ . | quote }}
- name: NEO4J_AUTH
  valueFrom:
    secretKeyRef:
      name: {{ required "neo4j.existingSecret: name the Secret holding the Neo4j credentials (user/password under neo4j.secretKey) when neo4j.uri is set." $.Values.neo4j.existingSecret | quote }}
      key: {{ $.Values.neo4j.secretKey | quote }}
{{- with $.Values.neo4j.database }}
- name: NEO4J_DATABASE
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- end }}

{{/* Fails when no source is on: the daemon would refuse to start. */}}
{{- define "matcher.requireSource" -}}
{{- $tailPaths := include "matcher.tailPaths" . | fromJsonArray }}
{{- if not (or $tailPaths (include "matcher.podLogsEnabled" .) .Values.sources.auditWebhook.enabled) }}
{{- fail "No source is on: enable sources.podLogs (mode=deployment), daemonset.tetragon (mode=daemonset), sources.auditWebhook, or list files in sources.tail.paths." }}
{{- end }}
{{- end }}
