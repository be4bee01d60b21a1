"""The API's resources, in the order the OpenAPI document lists them."""
from . import category, helpingmaterial, project, result, task, taskrun, user

RESOURCES = {module.RESOURCE.name: module.RESOURCE
             for module in (project, category, task, taskrun, result, user, helpingmaterial)}
