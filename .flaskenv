FLASK_APP=server.wsgi
