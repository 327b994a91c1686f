"""``GET /api/me/``: who the API sees, for checking a token works."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wardkeeper.core import roles


class MeSerializer(serializers.Serializer[Any]):
    username = serializers.CharField()
    display_name = serializers.CharField()
    email = serializers.EmailField()
    language = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())


class MeView(APIView):
    """The signed-in user (or the token's owner) and the roles they hold."""

    permission_classes = [IsAuthenticated]
    serializer_class = MeSerializer

    def get(self, request: Request) -> Response:
        user: Any = request.user
        held = user.role_codes()
        data = {
            "username": user.username,
            "display_name": user.display_name,
            "email": user.email,
            "language": user.language,
            "roles": [code for code in roles.BY_CODE if code in held],
        }
        return Response(MeSerializer(data).data)
