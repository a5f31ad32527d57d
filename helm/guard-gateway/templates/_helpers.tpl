{{- define "guard-gateway.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "guard-gateway.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "guard-gateway.labels" -}}
app.kubernetes.io/name: {{ include "guard-gateway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "guard-gateway.selectorLabels" -}}
app.kubernetes.io/name: {{ include "guard-gateway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
