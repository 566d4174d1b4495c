"""The ceiling: a bare Starlette handler returning a constant user, served like the real one."""

from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

USER = {
    "id": 3,
    "createdDate": "2017-01-18",
    "firstName": "Jane",
    "lastName": "Smith",
    "fullName": "Jane Smith",
    "email": "jane@acmedata.example",
    "active": True,
}


async def get_user(request):  # type: ignore[no-untyped-def]
    return JSONResponse(USER)


app = Starlette(routes=[Route("/elements/api-v2/users/{emailOrId}", get_user)])
