# Sourced by the bench scripts: a container is reached at its bridge address, as SageMaker's front end reaches it (a
# port published on 127.0.0.1 passes every byte through dockerd's userland proxy, which capped the image near 4k req/s).
#
#   bridge_url CONTAINER   prints http://ADDRESS:8080, the container's serving port at its bridge address
bridge_url() {
  echo "http://$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$1"):8080"
}
