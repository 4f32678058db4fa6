{{/* The pod template shared by the Deployment and the DaemonSet. */}}
{{- define "matcher.podTemplate" -}}
{{- $podLogs := include "matcher.podLogsEnabled" . }}
{{- $root := include "matcher.runAsRoot" . }}
{{- $tetragon := include "matcher.tailTetragon" . -}}
metadata:
  labels:
    {{- include "matcher.selectorLabels" . | nindent 4 }}
    {{- with .Values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- with .Values.podAnnotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  serviceAccountName: {{ include "matcher.serviceAccountName" . }}
  # Only the pod-log source talks to the Kubernetes API; without it the pod holds no token.
  automountServiceAccountToken: {{ if $podLogs }}true{{ else }}false{{ end }}
  enableServiceLinks: false
  {{- with .Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.priorityClassName }}
  priorityClassName: {{ . | quote }}
  {{- end }}
  # The daemon's own grace period, plus time for the kubelet to deliver SIGTERM.
  terminationGracePeriodSeconds: {{ add (div (add (int64 .Values.shutdownGraceMs) 999) 1000) 5 }}
  securityContext:
    {{- if $root }}
    # Daemonset mode: UID 0 reads Tetragon's root-owned log and writes the node's state directory;
    # the container below has no capabilities at all.
    runAsNonRoot: false
    runAsUser: 0
    runAsGroup: 0
    {{- else }}
    runAsNonRoot: true
    runAsUser: 1000
    runAsGroup: 1000
    fsGroup: 1000
    {{- end }}
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: matcher
      image: {{ include "matcher.image" . | quote }}
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      args: ["run"]
      env:
        {{- include "matcher.env" . | nindent 8 }}
      ports:
        - name: http
          containerPort: {{ .Values.http.port }}
          protocol: TCP
        {{- if .Values.sources.auditWebhook.enabled }}
        - name: audit-webhook
          containerPort: {{ .Values.sources.auditWebhook.port }}
          protocol: TCP
        {{- end }}
      livenessProbe:
        httpGet:
          path: /healthz
          port: http
        {{- toYaml .Values.livenessProbe | nindent 8 }}
      readinessProbe:
        httpGet:
          path: /readyz
          port: http
        {{- toYaml .Values.readinessProbe | nindent 8 }}
      resources:
        {{- toYaml .Values.resources | nindent 8 }}
      securityContext:
        {{- if $root }}
        runAsNonRoot: false
        runAsUser: 0
        {{- else }}
        runAsNonRoot: true
        runAsUser: 1000
        {{- end }}
        privileged: false
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities:
          drop: ["ALL"]
        seccompProfile:
          type: RuntimeDefault
      volumeMounts:
        - name: state
          mountPath: /var/lib/matcher
        - name: tmp
          mountPath: /tmp
        {{- if $tetragon }}
        - name: tetragon
          mountPath: {{ .Values.daemonset.tetragon.hostPath | quote }}
          readOnly: true
        {{- end }}
        {{- with .Values.extraVolumeMounts }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
  volumes:
    {{- if eq .Values.mode "daemonset" }}
    # Checkpoints stay on the node, so a restarted or upgraded pod resumes where it stopped.
    - name: state
      hostPath:
        path: {{ printf "%s/%s" (trimSuffix "/" .Values.daemonset.stateHostPath) (include "matcher.fullname" .) | quote }}
        type: DirectoryOrCreate
    {{- else }}
    - name: state
      emptyDir:
        sizeLimit: {{ .Values.stateSizeLimit }}
    {{- end }}
    - name: tmp
      emptyDir:
        sizeLimit: {{ .Values.tmpSizeLimit }}
    {{- if $tetragon }}
    # Created if missing, so the matcher can start before Tetragon; it waits for the file to appear.
    - name: tetragon
      hostPath:
        path: {{ .Values.daemonset.tetragon.hostPath | quote }}
        type: DirectoryOrCreate
    {{- end }}
    {{- with .Values.extraVolumes }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- with .Values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
