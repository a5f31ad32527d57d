{{- define "guard-gateway.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "guard-gateway.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "guard-gateway.labels" -}}
helm.sh/chart: {{ include "guard-gateway.chart" . }}
app.kubernetes.io/name: {{ include "guard-gateway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "guard-gateway.selectorLabels" -}}
app.kubernetes.io/name: {{ include "guard-gateway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "guard-gateway.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- /*
Environment entries for an appsettings-shaped value: maps nest with "__", lists are indexed (Section__Key__0).
Called with (dict "prefix" "" "value" .Values.config); recursive.
*/ -}}
{{- define "guard-gateway.configEnv" -}}
{{- $prefix := .prefix -}}
{{- if kindIs "map" .value -}}
{{- range $key, $child := .value -}}
{{- include "guard-gateway.configEnv" (dict "prefix" (ternary $key (printf "%s__%s" $prefix $key) (eq $prefix "")) "value" $child) -}}
{{- end -}}
{{- else if kindIs "slice" .value -}}
{{- range $i, $child := .value -}}
{{- include "guard-gateway.configEnv" (dict "prefix" (printf "%s__%d" $prefix $i) "value" $child) -}}
{{- end -}}
{{- else if not (kindIs "invalid" .value) }}
- name: {{ $prefix }}
  {{- /* Numbers from values files arrive as float64: keep 4194304 from becoming "4.194304e+06". */}}
  {{- if and (kindIs "float64" .value) (eq .value (floor .value)) }}
  value: {{ int64 .value | toString | quote }}
  {{- else }}
  value: {{ .value | toString | quote }}
  {{- end }}
{{- end -}}
{{- end -}}

{{- /* One env entry per Secret reference: (dict "name" "Auth__ClientKeys" "refs" .Values.auth.clientKeys). */ -}}
{{- define "guard-gateway.secretKeyEnv" -}}
{{- $name := .name -}}
{{- range $i, $ref := .refs }}
- name: {{ printf "%s__%d" $name $i }}
  valueFrom:
    secretKeyRef:
      name: {{ required (printf "%s[%d].secret names the Secret" $name $i) $ref.secret | quote }}
      key: {{ required (printf "%s[%d].key names the key in the Secret" $name $i) $ref.key | quote }}
{{- end -}}
{{- end -}}
