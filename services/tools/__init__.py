"""Commands that run or build the services (`newsdesk serve`, `smoke`, `models`, `eval`:
plugins of the client's CLI, registered as `newsdesk.commands` entry points), and the
container helpers `python -m services.tools.health_probe` and `...wait_models`. They may
import the services and the client; neither the client nor a service imports them."""
