"""Plugin faults fail at start-up with a clear error naming the plugin; settings choose which
plugins run; discovery is by entry point; ``on_event`` failures are isolated."""

from __future__ import annotations

import json
import logging
import sys
import typing
from pathlib import Path

import pytest

import linli
from linli.core import i18n
from linli.core.app import create_app
from linli.core.events import Event
from linli.core.plugins import ENTRY_POINT_GROUP, PluginError, load_plugins
from linli.core.settings import Settings

sys.path.insert(0, str(Path(__file__).parent))  # tests/core: the plugins_for_tests package
from plugins_for_tests import fake_distribution, faulty, listeners, probe

SECRET = "plugin-tests-secret"


def settings(**overrides) -> Settings:
    return Settings(secret_key=SECRET, **overrides)


def load(extra: dict[str, object], **overrides) -> object:
    """Core and ``extra`` only (the installed plugins stay out of these tests)."""
    overrides.setdefault("enabled_plugins", list(extra))
    return load_plugins(settings(**overrides), extra)


def test_a_good_plugin_loads_with_its_manifest_and_hooks():
    plugins = load({"good": faulty.Good(), "greets": faulty.GreetsA("greets")})
    assert plugins.names() == ["core", "good", "greets"]
    assert plugins.manifests["good"].version == "1.0"
    assert plugins.hooks_of("greets") == ["plugin_manifest", "register_queries"]


def test_misspelt_hook_is_a_start_up_error_naming_the_plugin():
    with pytest.raises(PluginError) as raised:
        load({"typo": faulty.Misspelt("typo")})
    assert "plugin typo" in str(raised.value)
    assert "register_querys" in str(raised.value)


def test_missing_manifest_is_an_error():
    with pytest.raises(PluginError, match=r"plugin nameless: has no plugin_manifest\(\) hook"):
        load({"nameless": faulty.NoManifest()})


def test_manifest_name_must_match_the_registered_name():
    with pytest.raises(PluginError, match="plugin registered: its manifest calls it 'other'"):
        load({"registered": faulty.Good("other")})


def test_core_version_mismatch_names_plugin_and_versions():
    with pytest.raises(PluginError) as raised:
        load({"future": faulty.Good("future", core_versions=">=9.0")})
    message = str(raised.value)
    assert "plugin future 1.0 supports linli >=9.0" in message
    assert f"this is linli {linli.__version__}" in message


def test_unreadable_core_versions_is_an_error():
    with pytest.raises(PluginError, match="plugin odd: bad core_versions"):
        load({"odd": faulty.Good("odd", core_versions="whenever")})


def test_missing_required_plugin_names_both():
    with pytest.raises(PluginError, match="plugin needy requires elections, which is not enabled"):
        load({"needy": faulty.Good("needy", requires=("elections",))})
    # Present, it is fine; disabled by settings, it is missing again.
    extra = {
        "needy": faulty.Good("needy", requires=("elections",)),
        "elections": faulty.Good("elections"),
    }
    assert "needy" in load(extra).names()
    with pytest.raises(PluginError, match="plugin needy requires elections"):
        load(extra, disabled_plugins=["elections"])


def test_two_plugins_adding_one_query_field_is_an_error_naming_both():
    extra = {"alpha": faulty.GreetsA("alpha"), "beta": faulty.GreetsB("beta")}
    with pytest.raises(PluginError) as raised:
        create_app(settings(), extra_plugins=extra)  # with the installed plugins too
    assert str(raised.value) == "Query.greeting is added by both plugin alpha and plugin beta"
    # Either one alone is fine.
    assert create_app(settings(), extra_plugins={"alpha": extra["alpha"]}).state.schema


def test_a_plugin_cannot_take_a_core_field():
    class Squatter(faulty.Good):
        @linli.hookimpl
        def register_queries(self):
            import strawberry

            @strawberry.type
            class SquatterQuery:
                @strawberry.field
                def server_info(self) -> str:
                    return "mine"

            return [SquatterQuery]

    clash = r"Query\.serverInfo is added by both plugin core and plugin squatter"
    with pytest.raises(PluginError, match=clash):
        create_app(settings(), extra_plugins={"squatter": Squatter("squatter")})


def test_settings_disable_and_enable_plugins_by_name(monkeypatch):
    extra = {"alpha": faulty.GreetsA("alpha"), "beta": faulty.GreetsB("beta")}
    monkeypatch.setenv("LINLI_DISABLED_PLUGINS", "beta, gamma")
    chosen = Settings(secret_key=SECRET)
    assert chosen.disabled_plugins == ["beta", "gamma"]
    assert "beta" not in load_plugins(chosen, extra).names()
    # With beta disabled the clash is gone and the app builds.
    assert create_app(chosen, extra_plugins=extra).state.schema
    monkeypatch.delenv("LINLI_DISABLED_PLUGINS")
    monkeypatch.setenv("LINLI_ENABLED_PLUGINS", "beta")
    only_beta = Settings(secret_key=SECRET)
    assert only_beta.enabled_plugins == ["beta"]
    assert load_plugins(only_beta, extra).names() == ["core", "beta"]  # core always runs
    # Disabled wins over enabled.
    assert load(extra, enabled_plugins=["alpha"], disabled_plugins=["alpha"]).names() == ["core"]


def test_entry_point_discovery_is_the_public_path(tmp_path, monkeypatch):
    fake_distribution(tmp_path, "linli_test_demo", {"demo": "plugins_for_tests.demo"})
    monkeypatch.syspath_prepend(str(tmp_path))
    plugins = load_plugins(settings())
    assert plugins.manifests["demo"].version == "0.9.1"
    hooks = ["plugin_manifest", "register_commands", "register_demo_data"]
    assert plugins.hooks_of("demo") == hooks
    assert "demo" not in load_plugins(settings(disabled_plugins=["demo"])).names()


def test_an_entry_point_that_cannot_be_imported_is_named(tmp_path, monkeypatch):
    fake_distribution(tmp_path, "linli_test_broken", {"broken": "plugins_for_tests.no_such_module"})
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(PluginError, match="plugin broken: cannot be imported"):
        load_plugins(settings())
    assert ENTRY_POINT_GROUP == "linli.plugins"


async def test_on_event_that_raises_is_logged_and_the_others_still_get_it(caplog):
    first, last = listeners.Recording("first"), listeners.Recording("last")
    plugins = load({"first": first, "raising": listeners.Raising(), "last": last})
    event = Event("probe.said", {"text": "hi"})
    with caplog.at_level(logging.ERROR, logger="linli.plugins"):
        await plugins.deliver_event(event)
    assert first.events == [event] and last.events == [event]
    (record,) = [r for r in caplog.records if r.name == "linli.plugins"]
    assert record.getMessage() == "plugin raising failed in on_event(probe.said)"
    assert isinstance(record.exc_info[1], RuntimeError)


@pytest.fixture
def linli_extra_plugins():
    probe.reset()
    return {"probe": probe}


async def test_extend_context_may_be_async_and_is_awaited(gql):
    assert await gql.query("{ probeLoader }") == {"probeLoader": "loaded"}


class Routed(faulty.Good):
    """A plugin route built from linli.core.http alone: who calls, and coded errors."""

    @linli.hookimpl
    def register_routes(self):
        from starlette.responses import JSONResponse
        from starlette.routing import Route

        from linli.core import http
        from linli.core.errors import ApiError

        async def whoami(request):
            try:
                actor = await http.request_actor(request)
            except ApiError as exc:
                return http.error_response(request, exc.code, 401)
            if not actor.authenticated:
                return http.error_response(request, "UNAUTHENTICATED", 401)
            return JSONResponse({"account": actor.account_id, "locale": http.locale(request)})

        return [Route("/routed/whoami", whoami)]


@pytest.mark.parametrize("linli_extra_plugins", [{"routed": Routed("routed")}])
async def test_a_plugin_route_uses_core_http_for_actor_and_coded_errors(gql, linli_app):
    from linli.testing import make_account

    made = await make_account("resident")
    ok = await gql.get("/routed/whoami", headers={"authorization": f"Bearer {made.token}"})
    assert ok.status_code == 200
    assert ok.json() == {"account": made.account.pk, "locale": "zh-CN"}
    english = await gql.get(
        "/routed/whoami",
        headers={"authorization": f"Bearer {made.token}", "accept-language": "en-GB,en;q=0.8"},
    )
    assert english.json()["locale"] == "en"
    anonymous = await gql.get("/routed/whoami", headers={"accept-language": "en"})
    assert anonymous.status_code == 401
    assert anonymous.json() == {
        "errors": [{"message": "Please log in first.", "extensions": {"code": "UNAUTHENTICATED"}}]
    }
    forged = await gql.get("/routed/whoami", headers={"authorization": "Bearer not-a-token"})
    assert forged.status_code == 401
    assert forged.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_plugins_and_examples_never_import_the_composition_root():
    import ast

    root = Path(__file__).resolve().parents[2]
    offenders = []
    for folder in ("plugins", "examples"):
        for path in (root / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = []
                if isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
                elif isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                if any(n == "linli.core.app" for n in names):
                    offenders.append(str(path.relative_to(root)))
    assert offenders == []


# ---------------------------------------------------------------- messages, per plugin

JOIN = """mutation($a: JoinAInput!, $b: JoinBInput!) {
  joinA(input: $a) { ok errors { code message } }
  joinB(input: $b) { ok errors { code message } } }"""


def eligible_plugins():
    from plugins_for_tests import eligible_a, eligible_b

    return {"eligible_a": eligible_a, "eligible_b": eligible_b}


@pytest.mark.parametrize("linli_extra_plugins", [eligible_plugins()])
async def test_two_plugins_keep_their_own_message_for_one_code(gql):
    refused = {"code": "NOT_ELIGIBLE"}
    data = await gql.query(JOIN, {"a": refused, "b": refused}, locale="en")
    assert data["joinA"]["errors"] == [
        {"code": "NOT_ELIGIBLE", "message": "Not eligible to volunteer."}
    ]
    assert data["joinB"]["errors"] == [{"code": "NOT_ELIGIBLE", "message": "Not eligible to vote."}]
    # A query's refusal is looked up in its resolver's plugin too.
    a = await gql.execute("{ eligibleA }", locale="zh-CN")
    b = await gql.execute("{ eligibleB }", locale="zh-CN")
    assert a.codes == b.codes == ["NOT_ELIGIBLE"]
    assert (a.errors[0]["message"], b.errors[0]["message"]) == (
        "不符合志愿服务条件。",
        "不具有选民资格。",
    )
    # A core code the plugin does not define keeps core's message, whichever plugin reports it.
    message = i18n.messages_of("core")["PROXY_NOT_VERIFIED"]["en"]
    join_a = "mutation($a: JoinAInput!) { joinA(input: $a) { ok errors { code message } } }"
    data = await gql.query(join_a, {"a": {"code": "PROXY_NOT_VERIFIED"}}, locale="en")
    assert data["joinA"]["errors"] == [{"code": "PROXY_NOT_VERIFIED", "message": message}]
    # JoinBError takes its codes from messages.json; a refusal with a code outside its enum is a
    # coded top-level error with that code's message, never a KeyError (an unexpected error).
    join_b = "mutation($b: JoinBInput!) { joinB(input: $b) { ok errors { code message } } }"
    outside = await gql.execute(join_b, {"b": {"code": "PROXY_NOT_VERIFIED"}}, locale="en")
    assert outside.codes == ["PROXY_NOT_VERIFIED"]
    assert outside.errors[0]["message"] == message


def test_error_type_codes_default_to_the_plugins_messages_and_no_empty_description():
    from plugins_for_tests import eligible_a, eligible_b

    from linli.schema import build_schema, export_sdl

    codes_b = [member.name for member in eligible_b.JoinError.Code]
    assert codes_b[-1] == "NOT_ELIGIBLE" and "PROXY_NOT_VERIFIED" not in codes_b
    assert "PROXY_NOT_VERIFIED" in [member.name for member in eligible_a.JoinError.Code]
    plugins = load(eligible_plugins())
    sdl = export_sdl(build_schema(plugins, settings()))
    assert "type JoinBError implements UserError" in sdl
    assert '""""""' not in sdl  # error_type without a description writes none


def test_a_plugin_redefining_a_core_message_is_a_start_up_error_naming_both():
    from plugins_for_tests import squats_core

    with pytest.raises(PluginError) as raised:
        load({"squats_core": squats_core})
    assert str(raised.value).startswith(
        "plugin squats_core redefines the message of PROXY_NOT_VERIFIED, which plugin core defines"
    )
    # core's message is untouched by the attempt
    assert (
        i18n.translate("PROXY_NOT_VERIFIED", "en") == "The proxy grant has not been verified yet."
    )


UPDATE_PERSON = """mutation($input: UpdatePersonInput!) {
  updatePerson(input: $input) { errors { code message } } }"""


async def test_identity_message_does_not_change_when_booking_loads(gql, linli_app):
    from linli.testing import global_id, make_account, make_community, make_person, make_proxy

    assert "booking" in linli_app.state.plugins.names()
    assert "PROXY_NOT_VERIFIED" not in i18n.messages_of("booking")
    community = await make_community()
    me = await make_account("resident", community)
    pending = await make_person(community)
    await make_proxy(me, pending, status="pending")
    variables = {"personId": global_id("Person", pending.pk), "disabled": True}
    payload = await gql.mutate(UPDATE_PERSON, variables, token=me.token, locale="en")
    core_json = Path(i18n.__file__).with_name("locale") / "core.json"
    expected = json.loads(core_json.read_text(encoding="utf-8"))["PROXY_NOT_VERIFIED"]["en"]
    assert payload["errors"] == [{"code": "PROXY_NOT_VERIFIED", "message": expected}]


# ---------------------------------------------------------------- hooks through pluggy


class Ordered(faulty.Good):
    """Answers register_models with its own name; ``first``/``last`` mark it tryfirst/trylast."""

    def __init__(self, name, mark=None):
        super().__init__(name)
        self.mark = mark

    def models(self):
        return [f"models.of.{self.manifest.name}"]


class Plain(Ordered):
    @linli.hookimpl
    def register_models(self):
        return self.models()


class First(Ordered):
    @linli.hookimpl(tryfirst=True)
    def register_models(self):
        return self.models()


class Last(Ordered):
    @linli.hookimpl(trylast=True)
    def register_models(self):
        return self.models()


def test_one_call_order_core_first_then_load_order():
    plugins = load({"alpha": Plain("alpha"), "beta": Plain("beta"), "gamma": Plain("gamma")})
    order = [name for name, _ in plugins.per_plugin("register_models")]
    assert order == ["core", "alpha", "beta", "gamma"]
    # The same order for a pluggy call of any other hook (here the firstresult one's chain).
    assert plugins.gather("register_models")[-3:] == [
        "models.of.alpha",
        "models.of.beta",
        "models.of.gamma",
    ]


def test_tryfirst_and_trylast_move_a_hookimpl_as_pluggy_documents():
    plugins = load({"alpha": Last("alpha"), "beta": Plain("beta"), "gamma": First("gamma")})
    order = [name for name, _ in plugins.per_plugin("register_models")]
    assert order == ["gamma", "core", "beta", "alpha"]


class Wrapping(faulty.Good):
    @linli.hookimpl(wrapper=True)
    def register_models(self):
        models = yield
        return [*models, "sneaked.in"]


class OldWrapping(faulty.Good):
    @linli.hookimpl(hookwrapper=True)
    def register_models(self):
        yield


@pytest.mark.parametrize("plugin", [Wrapping("wrapping"), OldWrapping("wrapping")])
def test_a_wrapper_hookimpl_is_refused_at_load_with_a_clear_error(plugin):
    with pytest.raises(PluginError) as raised:
        load({"wrapping": plugin})
    message = str(raised.value)
    assert message.startswith("plugin wrapping: register_models is a wrapper hookimpl")
    assert "tryfirst/trylast" in message


class Kiosk(faulty.Good):
    """Its own tokens (``kiosk-<n>``) through actor_from_request, answered asynchronously."""

    @linli.hookimpl
    def actor_from_request(self, request, token):
        if not token.startswith("kiosk-"):
            return None  # not ours: the next plugin answers

        async def kiosk_actor():
            from linli.core.actor import Actor

            return Actor(account_id=int(token.removeprefix("kiosk-")))

        return kiosk_actor()


@pytest.mark.parametrize(
    "linli_extra_plugins", [{"kiosk": Kiosk("kiosk"), "routed": Routed("routed")}]
)
async def test_actor_from_request_runs_in_the_one_order_core_first(gql, linli_app):
    from linli.testing import make_account

    names = [
        n
        for n, _ in linli_app.state.plugins.per_plugin(
            "actor_from_request", request=None, token="x"
        )
    ]
    assert names == []  # nobody answers a token that is nobody's
    made = await make_account("resident")
    core_token = await gql.get("/routed/whoami", headers={"authorization": f"Bearer {made.token}"})
    assert core_token.json()["account"] == made.account.pk
    kiosk = await gql.get("/routed/whoami", headers={"authorization": "Bearer kiosk-4242"})
    assert kiosk.status_code == 200 and kiosk.json()["account"] == 4242
    nobody = await gql.get("/routed/whoami", headers={"authorization": "Bearer stranger"})
    assert nobody.status_code == 401


class Heard(faulty.Good):
    heard: typing.ClassVar[list[str]] = []

    @linli.hookimpl(tryfirst=True)
    def on_event(self, event):
        Heard.heard.append(self.manifest.name)


async def test_on_event_goes_through_pluggy_in_its_order_and_stays_isolated(caplog):
    Heard.heard = []
    recording = listeners.Recording("recording")
    plugins = load(
        {"recording": recording, "raising": listeners.Raising(), "heard": Heard("heard")}
    )
    event = Event("probe.said", {"text": "hi"})
    with caplog.at_level(logging.ERROR, logger="linli.plugins"):
        await plugins.deliver_event(event)
    assert Heard.heard == ["heard"] and recording.events == [event]
    assert [r.getMessage() for r in caplog.records if r.name == "linli.plugins"] == [
        "plugin raising failed in on_event(probe.said)"
    ]


def test_hookspecs_are_typed_and_say_whether_they_may_be_async():
    import inspect

    from linli.core import hookspecs

    specs = [
        f for _, f in inspect.getmembers(hookspecs, inspect.isfunction) if hasattr(f, "linli_spec")
    ]
    assert len(specs) >= 17
    for spec in specs:
        hints = typing.get_type_hints(spec, vars(hookspecs) | _hint_names())
        assert "return" in hints, spec.__name__
        assert typing.Any not in hints.values(), f"{spec.__name__} is typed Any"
        doc = spec.__doc__ or ""
        says = "(sync)" in doc or "awaitable" in doc
        assert says and len(doc.strip().splitlines()) == 1, f"{spec.__name__}: {doc!r}"


def _hint_names():
    """The names hookspecs imports only for type checking."""
    import typer
    from rich.console import Console
    from starlette.applications import Starlette
    from starlette.requests import HTTPConnection
    from starlette.routing import BaseRoute
    from strawberry.extensions import SchemaExtension
    from strawberry.types.field import StrawberryField

    from linli.core.actor import Actor
    from linli.core.context import Context
    from linli.core.events import Event
    from linli.core.identity.access import Permission
    from linli.core.plugins import Manifest
    from linli.core.tasks import PeriodicTask
    from linli.core.topics import EventType

    return {
        "typer": typer,
        "Console": Console,
        "Starlette": Starlette,
        "HTTPConnection": HTTPConnection,
        "BaseRoute": BaseRoute,
        "SchemaExtension": SchemaExtension,
        "StrawberryField": StrawberryField,
        "Actor": Actor,
        "Context": Context,
        "Event": Event,
        "Permission": Permission,
        "Manifest": Manifest,
        "PeriodicTask": PeriodicTask,
        "EventType": EventType,
    }


# ---------------------------------------------------------------- implied hooks


def test_a_plugin_package_leaves_its_register_hooks_to_its_rooms():
    from plugins_for_tests import implied

    plugins = load({"implied": implied})
    assert plugins.hooks_of("implied") == ["plugin_manifest"]
    (said,) = dict(plugins.per_plugin("register_mutations"))["implied"]
    assert said.base_resolver.name == "say"
    assert "implied" not in dict(plugins.per_plugin("register_queries"))  # not kit-made
    (happened,) = dict(plugins.per_plugin("register_events"))["implied"]
    assert happened.name == "implied.happened"  # core's event it imports is not its own
    assert "implied" not in dict(plugins.per_plugin("register_models"))  # no models module


def test_implied_models_are_the_models_module_and_a_hook_answers_alone():
    from plugins_for_tests import kitprobe

    plugins = load_plugins(
        settings(enabled_plugins=["notices", "kitprobe"]), {"kitprobe": kitprobe}
    )
    models = dict(plugins.per_plugin("register_models"))
    assert models["notices"] == ["linli_notices.models"]  # the example writes no hookimpl
    assert models["kitprobe"] == ["plugins_for_tests.kitprobe.models"]  # its own, once
    assert [name for name, _ in plugins.per_plugin("register_models")] == [
        "core",
        "notices",
        "kitprobe",
    ]


def test_manifest_settings_must_be_a_declaration_and_name_its_plugin():
    from plugins_for_tests import kitprobe

    with pytest.raises(PluginError, match=r"plugin good: Manifest\.settings must be"):
        load({"good": faulty.Good(settings=dict)})
    with pytest.raises(PluginError, match="says plugin = 'kitprobe'"):
        load({"good": faulty.Good(settings=kitprobe.ProbeSettings)})
